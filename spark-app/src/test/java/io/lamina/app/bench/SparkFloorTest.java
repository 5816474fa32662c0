package io.lamina.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.spark.SparkContexts;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.junit.jupiter.api.Test;

/**
 * The floor jobs have Lamina's shape where the bench's small runs do not reach: with 8 workers the
 * merge tree has a level on the executors, so each floor step is a job of two stages (the tasks,
 * then the level's reduce), three floors per step, and nothing stays cached afterwards.
 */
class SparkFloorTest {

    @Test
    void eightWorkersGiveOneExecutorLevelAndEveryFloorRunsEveryStep() throws Exception {
        JavaSparkContext sc = SparkContexts.create("local[2]", "spark-floor-test");
        try {
            AtomicInteger jobs = new AtomicInteger();
            AtomicInteger stages = new AtomicInteger();
            sc.sc().addSparkListener(new SparkListener() {
                @Override
                public void onJobStart(SparkListenerJobStart start) {
                    jobs.incrementAndGet();
                }

                @Override
                public void onStageCompleted(SparkListenerStageCompleted done) {
                    stages.incrementAndGet();
                }
            });
            Floors f = new SparkFloor(sc, 8, 2, 2, 3).measure(4000);
            sc.sc().listenerBus().waitUntilEmpty(10_000);
            assertEquals(8, f.partitions());
            assertEquals(1, f.treeLevels());
            assertEquals(4000, f.denseBytes());
            for (double ms : new double[] {f.tinyMs(), f.broadcastMs(), f.denseResultMs()}) {
                assertTrue(ms > 0 && Double.isFinite(ms), "floor " + ms);
            }
            int steps = 3 * (2 + 3);
            assertEquals(1 + steps, jobs.get(), "caching the blocks, then one job per floor step");
            assertEquals(1 + 2 * steps, stages.get(), "each floor step: the tasks, then the executors' merge level");
            assertTrue(sc.getPersistentRDDs().isEmpty(), "the floor's blocks are unpersisted");
        } finally {
            sc.stop();
        }
    }

    @Test
    void aRunIsComparedWithTheFloorOfItsJobShape() {
        Floors f = new Floors(5, 6, 12, 2, 0, 1024, 940_584);
        assertEquals(12, f.matching("none"));
        assertEquals(6, f.matching("topk:0.01"));
        assertEquals(6, f.matching("qsgd:s=256"));
        assertEquals(Floors.DENSE_RESULT, Floors.matchingKind("none"));
    }
}
