package io.lamina.app.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link StepRow#of}: metrics.jsonl's parsed lines to typed rows with running byte totals. */
class StepRowTest {

    private static Map<String, Object> line(long step, long up, long down, Double accuracy) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);            // Jackson gives Integer or Long, whichever fits
        m.put("epoch", 0);
        m.put("wall_ms", 12.5);
        m.put("loss", 2.0 - step * 0.1);
        m.put("uplink_bytes", up);
        m.put("downlink_bytes", (int) down);
        if (accuracy != null) {
            m.put("test_accuracy", accuracy);
            m.put("test_loss", 1.5);
        }
        return m;
    }

    @Test
    void rowsCarryRunningByteTotalsAndNaNWhereNotEvaluated() {
        List<StepRow> rows = StepRow.of(List.of(line(0, 100, 40, null), line(1, 70, 30, 0.25), line(2, 5, 20, 0.5)));
        assertEquals(3, rows.size());
        assertEquals(List.of(100L, 170L, 175L), rows.stream().map(StepRow::uplinkBytesSoFar).toList());
        assertEquals(List.of(40L, 70L, 90L), rows.stream().map(StepRow::downlinkBytesSoFar).toList());
        assertEquals(70, rows.get(1).uplinkBytes());
        assertFalse(rows.get(0).evaluated());
        assertTrue(Double.isNaN(rows.get(0).testAccuracy()) && Double.isNaN(rows.get(0).testLoss()));
        assertTrue(rows.get(1).evaluated());
        assertEquals(0.25, rows.get(1).testAccuracy());
        assertEquals(1.5, rows.get(2).testLoss());
        assertEquals(3, rows.get(2).stepsDone());
        assertEquals(1.8, rows.get(2).loss(), 1e-12);
        assertEquals(12.5, rows.get(0).wallMs());
    }

    @Test
    void aLineWithoutANumberItNeedsNamesTheLineAndKey() {
        Map<String, Object> broken = line(1, 10, 10, null);
        broken.put("uplink_bytes", "many");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StepRow.of(List.of(line(0, 1, 1, null), broken)));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("'uplink_bytes'"), e.getMessage());
    }
}
