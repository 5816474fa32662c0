package io.lamina.app.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.config.OptimizerPlacement;
import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.app.engine.driver.StepRecord;
import io.lamina.app.engine.driver.TrainingDivergedException;
import io.lamina.app.engine.protocol.EvalResult;
import io.lamina.app.engine.worker.ReplicaRegistry;
import io.lamina.app.model.ModelKind;
import io.lamina.app.spark.SparkContexts;
import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.LabeledData;
import io.lamina.datasets.TrainTestData;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replicas stay bit-identical to the master, recover from loss, and divergence stops the run. */
class ReplicaLifecycleTest {

    private static JavaSparkContext sc;
    private static TrainTestData data;

    @BeforeAll
    static void startSpark() {
        sc = SparkContexts.create("local[2]", "replica-lifecycle-test");
        TrainTestData all = EmbeddedData.load();
        data = new TrainTestData(all.train().slice(0, 2000), all.test().slice(0, 200));
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static TrainConfig mlp(long steps) {
        TrainConfig c = TrainConfig.defaults();
        c = c.with(TrainSetting.MODEL, ModelKind.MLP.cliName());
        c = c.with(TrainSetting.WORKERS, 2);
        c = c.with(TrainSetting.BATCH, 32);
        c = c.with(TrainSetting.STEPS, steps);
        c = c.with(TrainSetting.CHECKSUM_EVERY, 1);
        return c;
    }

    @Test
    void replicasStayBitIdenticalToTheMasterOver50Steps() {
        DistributedTrainer t = new DistributedTrainer(sc, mlp(50), data);
        try {
            EvalResult eval = t.fit();
            assertEquals(50, t.step());
            assertEquals(0, t.checksumMismatches(), "a replica's checksum differed from the master's");
            float[] master = t.master().params();
            for (int p = 0; p < 2; p++) {
                float[] replica = t.replicaParamsAtMasterVersion(p);
                assertNotNull(replica, "replica " + p + " missing");
                assertArrayEquals(master, replica, "replica " + p + " differs from the master");
            }
            assertTrue(eval.accuracy() > 0.5, "MLP should learn something in 50 steps, got " + eval.accuracy());
            assertEquals(2, ReplicaRegistry.count(t.runId()));
        } finally {
            t.close();
        }
        assertEquals(0, ReplicaRegistry.count(t.runId()), "close() must free the run's replicas");
    }

    @Test
    void eachStepsJobSaysWhichRunStepAndEpochItIsAndItsFiguresAreNamedAccumulators() {
        List<String> descriptions = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.Set<String> stageAccumulators = java.util.concurrent.ConcurrentHashMap.newKeySet();
        org.apache.spark.scheduler.SparkListener listener = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
                descriptions.add(String.valueOf(start.properties().getProperty("spark.job.description")));
            }

            @Override
            public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted done) {
                done.stageInfo().accumulables().values()
                        .foreach(a -> stageAccumulators.add(String.valueOf(a.name().getOrElse(() -> ""))));
            }
        };
        sc.sc().addSparkListener(listener);
        DistributedTrainer t = new DistributedTrainer(sc, mlp(3), data);
        try {
            t.fit();
            sc.sc().listenerBus().waitUntilEmpty(10_000);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        } finally {
            sc.sc().removeSparkListener(listener);
            t.close();
        }
        for (int s = 1; s <= 3; s++) {
            String expected = "lamina " + t.runId() + ": step " + s + "/3, epoch 1";
            assertTrue(descriptions.contains(expected), expected + " not among " + descriptions);
        }
        // What the Spark UI shows on the step stages' pages, and what the accumulators hold.
        for (String name : List.of("lamina.uplink_bytes", "lamina.examples", "lamina.compute_ms", "lamina.encode_ms")) {
            assertTrue(stageAccumulators.contains(name), name + " not among " + stageAccumulators);
        }
        assertEquals(3, t.counters().steps());
        assertEquals(3 * 2 * 32, t.counters().examples());
        assertEquals(t.uplinkBytes(), t.counters().uplinkBytes());
        assertEquals(t.downlinkBytes(), t.counters().downlinkBytes());
    }

    @Test
    void aReplicaDroppedMidRunIsRebuiltAndTrainingContinues() {
        assertRebuiltAndContinues(mlp(20));
    }

    @Test
    void withTheOptimizerOnTheWorkersADroppedReplicaIsRebuiltToo() {
        TrainConfig c = mlp(20);
        c = c.with(TrainSetting.COMPRESSOR, "topk:0.05");
        c = c.with(TrainSetting.MEMORY, "residual");
        c = c.with(TrainSetting.OPTIMIZER_ON, OptimizerPlacement.WORKERS.cliName());
        assertRebuiltAndContinues(c);
    }

    private void assertRebuiltAndContinues(TrainConfig c) {
        DistributedTrainer t = new DistributedTrainer(sc, c, data);
        List<StepRecord> records = new ArrayList<>();
        t.addListener(records::add);
        t.addListener(r -> {
            if (r.step() == 9) {
                assertTrue(ReplicaRegistry.drop(t.runId(), 1), "there was no replica 1 to drop");
            }
        });
        try {
            t.fit();
            assertEquals(20, t.step());
            assertEquals(1, records.get(10).rebuilt(), "step 10 should rebuild the dropped replica");
            assertEquals(1, records.get(10).reruns(), "step 10 should need one snapshot and rerun");
            assertEquals(1, t.rebuiltReplicas());
            for (StepRecord r : records) {
                assertTrue(Double.isFinite(r.loss()));
            }
            assertEquals(0, t.checksumMismatches());
            assertArrayEquals(t.master().params(), t.replicaParamsAtMasterVersion(1));
            assertArrayEquals(t.master().params(), t.replicaParamsAtMasterVersion(0));
        } finally {
            t.close();
        }
    }

    @Test
    void aReplicaThatDisagreesWithTheMasterIsDetectedAndRebuilt() {
        DistributedTrainer t = new DistributedTrainer(sc, mlp(8), data);
        t.addListener(r -> {
            if (r.step() == 3) {
                io.lamina.app.model.Dl4jNet replica = ReplicaRegistry.network(t.runId(), 0);
                float[] p = replica.params();
                p[0] += 1f; // silent corruption of one parameter
                replica.setParams(p);
            }
        });
        try {
            t.fit();
            assertEquals(1, t.checksumMismatches(), "the corrupted replica should be caught once");
            assertArrayEquals(t.master().params(), t.replicaParamsAtMasterVersion(0));
        } finally {
            t.close();
        }
    }

    @Test
    void aNanLossStopsTheRunAndKeepsTheLastGoodModel() {
        LabeledData train = data.train();
        float[] f = train.features().clone();
        java.util.Arrays.fill(f, 0, f.length, Float.NaN);
        TrainTestData poisoned = new TrainTestData(new LabeledData(f, train.labels(), train.numClasses(), train.shape()),
                data.test());
        DistributedTrainer t = new DistributedTrainer(sc, mlp(5), poisoned);
        float[] before = t.master().params();
        try {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::fit);
            assertTrue(e.getMessage().contains("step 0: worker ") && e.getMessage().contains("NaN"), e.getMessage());
            assertEquals(0, t.step());
            assertArrayEquals(before, t.master().params(), "the master must not take the bad update");
        } finally {
            t.close();
        }
    }
}
