package io.lamina.compression;

import io.lamina.compression.method.Compatibility;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.method.Memories;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CompatibilityTest {

    private static void ok(String c, String m) {
        assertDoesNotThrow(() -> Compatibility.check(Compressors.parse(c), Memories.parse(m)), c + " + " + m);
    }

    private static void bad(String c, String m, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compatibility.check(Compressors.parse(c), Memories.parse(m)), c + " + " + m);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void everyCompressorWorksWithoutMemory() {
        for (String name : Compressors.names()) {
            ok(name, "none");
        }
    }

    @Test
    void theDefaultMemoryOfEveryCompressorIsCompatible() {
        for (String name : Compressors.names()) {
            CompressorSpec c = Compressors.parse(name);
            assertDoesNotThrow(() -> Compatibility.check(c, Compatibility.defaultMemory(c)), name);
        }
        assertTrue(Compatibility.defaultMemory(Compressors.parse("topk")).name().equals("residual"));
        assertTrue(Compatibility.defaultMemory(Compressors.parse("signsgd")).name().equals("none"));
        assertTrue(Compatibility.defaultMemory(Compressors.parse("efsign")).name().equals("efsign"));
    }

    @Test
    void sensiblePairsPass() {
        ok("topk:0.01", "residual");
        ok("topk:0.01", "dgc");
        ok("dgc:0.01", "dgc");
        ok("efsign", "efsign");
        ok("qsgd:s=256", "residual");
        ok("powersgd:rank=2", "residual");
    }

    @Test
    void invalidPairsFailNamingWhatIsAllowed() {
        bad("qsgd", "dgc", "needs a sparsifier");
        bad("topk:0.01", "efsign", "scaled-sign");
        bad("signsgd", "residual", "majority vote");
        bad("powersgd:rank=2", "dgc", "needs a sparsifier");
        bad("powersgd:rank=2", "efsign", "scaled-sign");
    }

    @Test
    void outOfRangeParametersFailAtParse() {
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("topk:1.5"));
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("topk:0"));
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("qsgd:s=0"));
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("powersgd:rank=0"));
    }
}
