package io.lamina.app.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.app.engine.driver.TrainingDivergedException;
import io.lamina.app.engine.worker.TaskFaults;
import io.lamina.app.model.ModelKind;
import io.lamina.app.spark.SparkContexts;
import io.lamina.compression.Layout;
import io.lamina.compression.method.Compatibility;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.method.Methods;
import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.TrainTestData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs that must end the same whatever Spark does: task finishing order (a seed gives the same
 * bits), a replica lost between two rounds of PowerSGD, and a NaN gradient under every method.
 */
class FaultsAndReproducibilityTest {

    private static JavaSparkContext sc;
    private static TrainTestData data;

    @BeforeAll
    static void startSpark() {
        sc = SparkContexts.create("local[2]", "faults-and-reproducibility-test");
        TrainTestData all = EmbeddedData.load();
        data = new TrainTestData(all.train().slice(0, 2000), all.test().slice(0, 200));
    }

    @AfterAll
    static void stopSpark() {
        TaskFaults.delayTasks(0, 0);
        sc.stop();
    }

    private static TrainConfig mlp(int workers, long steps, String compressor, String memory) {
        return TrainConfig.defaults().with(Map.of(TrainSetting.MODEL, ModelKind.MLP.cliName(),
                TrainSetting.WORKERS, workers, TrainSetting.BATCH, 16, TrainSetting.STEPS, steps,
                TrainSetting.COMPRESSOR, compressor, TrainSetting.MEMORY, memory));
    }

    private static float[] train(TrainConfig c) {
        return EngineRuns.finalParams(sc, c, data);
    }

    @Test
    void fourWorkersFinishingInAnyOrderGiveTheSameBits() {
        for (String compressor : List.of("none", "qsgd:s=16")) {
            TrainConfig c = mlp(4, 6, compressor, "none");
            TaskFaults.delayTasks(1, 40);
            float[] first = train(c);
            TaskFaults.delayTasks(2, 40);
            float[] second = train(c);
            TaskFaults.delayTasks(0, 0);
            assertArrayEquals(first, second, compressor + ": same seed, other task order");
        }
    }

    @Test
    void powerSgdLosingAReplicaBetweenItsRoundsRedoesTheStepConsistently() {
        TrainConfig c = mlp(2, 6, "powersgd:rank=2", "residual");
        long before = TaskFaults.injected();
        TaskFaults.dropReplicaBeforeRound(3, 0, 1); // lost before the step: rebuilt, then both rounds run
        float[] lostBeforeTheStep = train(c);
        TaskFaults.dropReplicaBeforeRound(3, 1, 1); // lost after round 0: the step is redone from a snapshot
        float[] lostBetweenRounds = train(c);
        assertEquals(before + 2, TaskFaults.injected(), "both drops happened");
        // Either way worker 1 restarts step 3 from the snapshot with a zero residual; the survivor's
        // round-1 Q must be recomputed against the new round-0 downlink, not resent from the old try.
        assertArrayEquals(lostBeforeTheStep, lostBetweenRounds);
    }

    @Test
    void aReplicaTheDriverDidNotHearFromIsNeverUsed() {
        TrainConfig c = mlp(2, 6, "none", "none");
        float[] undisturbed = train(c);
        long before = TaskFaults.injected();
        TaskFaults.strayReplicaBeforeStep(3, 1);
        DistributedTrainer t = new DistributedTrainer(sc, c, data);
        try {
            t.fit();
            assertEquals(before + 1, TaskFaults.injected(), "the stray replica was planted");
            assertEquals(1, t.rebuiltReplicas(), "the stray copy is discarded and the partition rebuilt");
            // Without memory a replica rebuilt from the master is the replica it replaces.
            assertArrayEquals(undisturbed, t.master().params());
        } finally {
            t.close();
        }
    }

    @Test
    void aNanGradientStopsEveryMethodNamingTheStepWorkerAndSegment() {
        for (String spec : Methods.examples()) {
            String memory = Compatibility.defaultMemory(Compressors.parse(spec)).spec();
            DistributedTrainer t = new DistributedTrainer(sc, mlp(2, 4, spec, memory), data);
            Layout layout = t.plan().segments();
            int element = layout.get(layout.size() - 1).offset(); // first element of the last segment
            AtomicReference<float[]> afterStep1 = new AtomicReference<>();
            t.addListener(r -> {
                if (r.step() == 1) {
                    afterStep1.set(t.master().params());
                }
            });
            TaskFaults.poisonGradient(2, 1, element);
            try {
                TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::fit, spec);
                String expected = "step 2: worker 1's gradient has a NaN or an infinity in segment "
                        + layout.get(layout.size() - 1).name();
                assertTrue(e.getMessage().startsWith(expected), spec + ": " + e.getMessage());
                assertEquals(2, t.step(), spec);
                assertNotNull(afterStep1.get());
                assertArrayEquals(afterStep1.get(), t.master().params(), spec + ": the master keeps the last good step");
            } finally {
                t.close();
            }
        }
    }
}
