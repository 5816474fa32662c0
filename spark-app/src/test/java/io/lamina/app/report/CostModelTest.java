package io.lamina.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The cost model against cases computed by hand from the formula in its javadoc. */
class CostModelTest {

    /**
     * Two segments: a worker sends u = (1000, 200) bytes for e = (1000, 100) elements, so dense
     * D = (4000, 400); the run (W0 = 2) measured a merged message of 2400 bytes = min(2000, 4000) +
     * min(400, 400), so rho = 1. Compute 10 ms, alpha 0.1 ms, B = 1 Gbit/s = 125,000 bytes/ms.
     * W = 8, depth 2: f = ceil(sqrt 8) = 3, levels 2 (3 < 8 <= 9).
     * Level 1: 3 children of one worker each, S(1) = 1200: 0.1 + 3 x 1200 / 125000 = 0.1288 ms.
     * Level 2: ceil(8/3) = 3 children covering 3 workers, S(3) = min(3000, 4000) + min(600, 400) = 3400:
     *          0.1 + 3 x 3400 / 125000 = 0.1816 ms.
     * Downlink: S(8) = 4000 + 400 = 4400, ceil(log2 9) = 4 rounds of 0.1 + 4400 / 125000 = 0.1352: 0.5408 ms.
     * Step: 10 + 0.1288 + 0.1816 + 0.5408 = 10.8512 ms.
     */
    @Test
    void eightWorkersOnOneGigabitMatchTheHandComputedCase() {
        CostModel.Profile p = new CostModel.Profile(10, new double[] {1000, 200}, new long[] {1000, 100}, 2400, 2, 2);
        assertEquals(1.0, CostModel.rho(p), 1e-12);
        CostModel.Projection t = new CostModel(0.1).project(p, 8, 1);
        assertEquals(3, t.fanout());
        assertEquals(2, t.levels());
        assertEquals(0.1288 + 0.1816, t.uplinkMs(), 1e-9);
        assertEquals(0.5408, t.downlinkMs(), 1e-9);
        assertEquals(4400, t.mergedBytes(), 1e-9);
        assertEquals(10.8512, t.stepMs(), 1e-9);
    }

    /**
     * rho from the measured merged message: 3000 measured where the linear bound gives 2400
     * (e.g. merged values in fp32, sent in fp16) -> rho = 1.25; W = 4, depth 1: f = 4, one level of 4
     * workers' messages (S(1) = 1200): 0 + 4 x 1200 / 1250 = 3.84 ms at 10 Mbit/s (1250 bytes/ms);
     * S(4) = min(1.25 x 4 x 1000, 4000) + min(1.25 x 4 x 200, 400) = 4400; 3 rounds: 3 x 4400 / 1250 = 10.56 ms.
     */
    @Test
    void theMeasuredMergedMessageCalibratesGrowthAndDenseCapsIt() {
        CostModel.Profile p = new CostModel.Profile(0, new double[] {1000, 200}, new long[] {1000, 100}, 3000, 2, 1);
        assertEquals(1.25, CostModel.rho(p), 1e-12);
        CostModel.Projection t = new CostModel(0).project(p, 4, 0.01);
        assertEquals(1, t.levels());
        assertEquals(4, t.fanout());
        assertEquals(3.84, t.uplinkMs(), 1e-9);
        assertEquals(10.56, t.downlinkMs(), 1e-9);
    }

    @Test
    void oneWorkerSendsNothingUpAndReceivesItsOwnMessageOnce() {
        CostModel.Profile p = new CostModel.Profile(5, new double[] {1250}, new long[] {1000}, 1250, 1, 2);
        CostModel.Projection t = new CostModel(1).project(p, 1, 0.01);
        assertEquals(0, t.levels());
        assertEquals(0, t.uplinkMs(), 0);
        assertEquals(1 + 1250 / 1250.0, t.downlinkMs(), 1e-9); // ceil(log2 2) = 1 round
        assertEquals(7, t.stepMs(), 1e-9);
    }

    @Test
    void denseMessagesDoNotGrowWithTheWorkers() {
        // a dense fp32 segment with a 10-byte header: measured merged = worker's message
        CostModel.Profile p = new CostModel.Profile(0, new double[] {4010}, new long[] {1000}, 4010, 2, 2);
        assertEquals(4010, CostModel.merged(p, CostModel.rho(p), 128), 1e-9);
    }

    @Test
    void badProjectionsAreRefusedSayingWhatIsAllowed() {
        assertThrows(IllegalArgumentException.class, () -> new CostModel(-1));
        CostModel.Profile p = new CostModel.Profile(0, new double[] {1}, new long[] {1}, 1, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> new CostModel(0).project(p, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new CostModel(0).project(p, 2, 0));

        Projections.Grid g = Projections.Grid.parse(List.of("workers=8,32", "bandwidth=1,2.5", "latency_ms=0.5"));
        assertEquals(List.of(8, 32), g.workers());
        assertEquals(List.of(1.0, 2.5), g.gbitPerSecond());
        assertEquals(0.5, g.latencyMs());
        assertEquals(Projections.DEFAULT_LATENCY_MS, Projections.Grid.parse(List.of("bandwidth=1", "workers=2")).latencyMs());
        for (List<String> bad : List.of(List.of("workers=8"), List.of("workers=0", "bandwidth=1"),
                List.of("workers=2.5", "bandwidth=1"), List.of("workers=8", "bandwidth=fast"),
                List.of("workers=8", "bandwidth=-1"), List.of("nodes=8", "bandwidth=1"),
                List.of("workers=8", "workers=9", "bandwidth=1"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Projections.Grid.parse(bad));
            assertTrue(e.getMessage().startsWith("--project"), e.getMessage());
        }
    }
}
