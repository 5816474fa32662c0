package io.lamina.compression.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * README.md's compatibility table is the one the registry generates. To regenerate it after a
 * registry change: {@code mvn -B -o -q -pl compression test -Dtest=CompatibilityTableTest
 * -Dcompatibility.write=true} (rewrites README.md between the markers).
 */
class CompatibilityTableTest {

    private static final Path README = Path.of("..", "README.md");

    @Test
    void readmeHoldsTheGeneratedTable() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        String fresh = CompatibilityTable.replaceIn(readme);
        if (Boolean.getBoolean("compatibility.write")) {
            Files.writeString(README, fresh, StandardCharsets.UTF_8);
            return;
        }
        assertEquals(fresh, readme, "README.md's compatibility table is stale. The fresh table:\n\n"
                + CompatibilityTable.markdown() + "\nRegenerate it with: mvn -B -o -q -pl compression test "
                + "-Dtest=CompatibilityTableTest -Dcompatibility.write=true");
    }

    @Test
    void everyMethodMemoryAndPlacementHasAVerdict() {
        int rows = CompatibilityTable.rowSpecs().size();
        assertTrue(rows >= Methods.all().size());
        assertEquals(rows * Memories.all().size() * Payload.values().length, CompatibilityTable.cells().size());
        assertTrue(CompatibilityTable.rowSpecs().contains("randomk:0.05,scaled=true"), "scaled randomk has its own row");
    }
}
