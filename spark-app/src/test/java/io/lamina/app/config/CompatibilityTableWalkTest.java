package io.lamina.app.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lamina.compression.method.CompatibilityTable;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Walks README's compatibility table (as the registry generates it): every rejected
 * compressor x memory x placement fails {@link TrainConfig#validate()} with the table's reason
 * (what {@code lamina train} turns into exit 2), every accepted one passes. The optimizer is plain
 * SGD at a constant rate, which every memory accepts, so only the table's rules are in play.
 */
class CompatibilityTableWalkTest {

    @Test
    void everyVerdictOfTheTableIsWhatValidateSays() {
        int cells = 0;
        for (CompatibilityTable.Cell cell : CompatibilityTable.cells()) {
            TrainConfig c = TrainConfig.defaults().with(Map.of(TrainSetting.COMPRESSOR, cell.compressor(),
                    TrainSetting.MEMORY, cell.memory(), TrainSetting.OPTIMIZER_ON, cell.payload().placement(),
                    TrainSetting.OPTIMIZER, "sgd"));
            String what = cell.compressor() + " + " + cell.memory() + " on the " + cell.payload().placement();
            if (cell.rejection() == null) {
                assertDoesNotThrow(c::validate, what);
                assertEquals(cell.payload().placement(), c.optimizerPlacement().cliName(), what);
            } else {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate, what);
                assertEquals(cell.rejection().message(), e.getMessage(), what);
            }
            cells++;
        }
        assertEquals(CompatibilityTable.rowSpecs().size() * 4 * 2, cells, "rows x memories x placements");
    }
}
