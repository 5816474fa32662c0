package io.lamina.app.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.config.OptimizerPlacement;
import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.app.engine.driver.StepRecord;
import io.lamina.app.engine.protocol.Aggregate;
import io.lamina.app.engine.worker.ReplicaRegistry;
import io.lamina.app.engine.worker.TaskFaults;
import io.lamina.app.model.ModelKind;
import io.lamina.app.spark.SparkContexts;
import io.lamina.compression.method.Compatibility;
import io.lamina.compression.method.Compressors;
import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.TrainTestData;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every compressor through the engine: trains, keeps replicas identical, counts bytes exactly, survives retries. */
class CompressedTrainingTest {

    private static JavaSparkContext sc;
    private static TrainTestData data;

    /** Every example spec of every registered method (the registry's own list). */
    private static final List<String> SETTINGS = io.lamina.compression.method.Methods.allExamples();

    @BeforeAll
    static void startSpark() {
        // local[2,3]: two threads, and up to three attempts per task (for the retry test).
        sc = SparkContexts.create("local[2,3]", "compressed-training-test");
        TrainTestData all = EmbeddedData.load();
        data = new TrainTestData(all.train().slice(0, 1200), all.test().slice(0, 200));
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static TrainConfig config(String compressor, String memory, String granularity, long steps) {
        TrainConfig c = TrainConfig.defaults();
        c = c.with(TrainSetting.MODEL, ModelKind.MLP.cliName());
        c = c.with(TrainSetting.WORKERS, 2);
        c = c.with(TrainSetting.BATCH, 16);
        c = c.with(TrainSetting.STEPS, steps);
        c = c.with(TrainSetting.COMPRESSOR, compressor);
        c = c.with(TrainSetting.MEMORY, memory);
        c = c.with(TrainSetting.GRANULARITY, granularity);
        c = c.with(TrainSetting.CHECKSUM_EVERY, 1);
        return c;
    }

    /** The memory a compressor is normally run with. */
    private static String memoryFor(String compressor) {
        return Compatibility.defaultMemory(Compressors.parse(compressor)).spec();
    }

    @Test
    void everyCompressorTrainsInLayerAndModelGranularity() {
        for (String spec : SETTINGS) {
            for (String granularity : List.of("layer", "model")) {
                DistributedTrainer t = new DistributedTrainer(sc, config(spec, memoryFor(spec), granularity, 4), data);
                List<StepRecord> records = new ArrayList<>();
                t.addListener(records::add);
                String what = spec + " / " + granularity;
                try {
                    try {
                        t.fit();
                    } catch (RuntimeException e) {
                        throw new AssertionError(what + ": " + e.getMessage(), e);
                    }
                    assertEquals(4, records.size(), what);
                    for (StepRecord r : records) {
                        assertTrue(Double.isFinite(r.loss()), what + ": loss " + r.loss());
                        assertTrue(r.uplinkBytes() > 0, what);
                    }
                    assertEquals(0, t.checksumMismatches(), what + ": a replica drifted from the master");
                    float[] master = t.master().params();
                    assertArrayEquals(master, t.replicaParamsAtMasterVersion(0), what);
                    assertArrayEquals(master, t.replicaParamsAtMasterVersion(1), what);
                } finally {
                    t.close();
                }
            }
        }
    }

    private static float[] train(TrainConfig c) {
        return EngineRuns.finalParams(sc, c, data);
    }

    @Test
    void keepingEveryElementGivesExactlyTheUncompressedParameters() {
        float[] none = train(config("none", "none", "layer", 6));
        assertArrayEquals(none, train(config("topk:1.0,values=fp32", "none", "layer", 6)), "top-k with k = d");
        // auto would run the optimizer on the workers for top-k + residual: compare like with like
        assertArrayEquals(none, train(config("topk:1.0,values=fp32", "residual", "model", 6)
                .with(TrainSetting.OPTIMIZER_ON, OptimizerPlacement.MASTER.cliName())), "entire-model top-k, k = d");
        assertArrayEquals(none, train(config("randomk:1.0", "none", "bucket:10000", 6)), "random-k with k = d, buckets");
    }

    @Test
    void optimizerOnOneWorkerIsExactlyTheOptimizerOnTheMaster() {
        TrainConfig onMaster = config("none", "none", "layer", 6);
        onMaster = onMaster.with(TrainSetting.WORKERS, 1);
        TrainConfig onWorkers = config("none", "none", "layer", 6);
        onWorkers = onWorkers.with(TrainSetting.WORKERS, 1);
        onWorkers = onWorkers.with(TrainSetting.OPTIMIZER_ON, OptimizerPlacement.WORKERS.cliName());
        // Adam's update computed by the only worker and applied as is = Adam applied on the master.
        assertArrayEquals(train(onMaster), train(onWorkers));
    }

    @Test
    void optimizerOnWorkersKeepsReplicasIdenticalAndSendsUpdates() {
        TrainConfig c = config("topk:0.01", "residual", "layer", 20);
        c = c.with(TrainSetting.OPTIMIZER_ON, OptimizerPlacement.WORKERS.cliName());
        DistributedTrainer t = new DistributedTrainer(sc, c, data);
        try {
            t.fit();
            assertEquals(0, t.checksumMismatches());
            float[] master = t.master().params();
            assertArrayEquals(master, t.replicaParamsAtMasterVersion(0));
            assertArrayEquals(master, t.replicaParamsAtMasterVersion(1));
            // The workers' Adam states saw different gradients, so they differ; the master's is unused.
            float[] adam0 = ReplicaRegistry.network(t.runId(), 0).updaterState();
            float[] adam1 = ReplicaRegistry.network(t.runId(), 1).updaterState();
            assertTrue(!java.util.Arrays.equals(adam0, adam1), "each worker keeps its own optimizer state");
            assertTrue(java.util.Arrays.equals(new float[adam0.length], t.master().updaterState()),
                    "the master applies updates without an optimizer of its own");
            TrainConfig onMaster = config("topk:0.01", "residual", "layer", 20)
                    .with(TrainSetting.OPTIMIZER_ON, OptimizerPlacement.MASTER.cliName()); // auto would pick workers
            assertTrue(!java.util.Arrays.equals(master, train(onMaster)), "optimizer placement changes the result");
        } finally {
            t.close();
        }
    }

    @Test
    void replicasAndMasterStayIdenticalOver50CompressedSteps() {
        DistributedTrainer t = new DistributedTrainer(sc, config("topk:0.01", "residual", "layer", 50), data);
        try {
            t.fit();
            assertEquals(0, t.checksumMismatches());
            assertArrayEquals(t.master().params(), t.replicaParamsAtMasterVersion(0));
            assertArrayEquals(t.master().params(), t.replicaParamsAtMasterVersion(1));
        } finally {
            t.close();
        }
    }

    @Test
    void aTaskSparkRerunsDoesNotApplyItsStepTwice() {
        TrainConfig c = config("topk:0.05", "residual", "layer", 8);
        float[] clean = train(c);
        long before = TaskFaults.injected();
        TaskFaults.failOnceAfterWork(3); // the first task of step 3 dies after updating its residual
        DistributedTrainer t = new DistributedTrainer(sc, c, data);
        try {
            t.fit();
            assertEquals(before + 1, TaskFaults.injected(), "the failure was injected, and Spark retried the task");
            assertEquals(0, t.rebuiltReplicas(), "the retry ran in the same JVM: no rebuild");
            assertArrayEquals(clean, t.master().params(), "a retried task changed the result");
        } finally {
            t.close();
        }
    }

    @Test
    void bytesAreCountedPerTreeLevel() {
        TrainConfig c = config("topk:0.01", "residual", "layer", 3);
        c = c.with(TrainSetting.WORKERS, 8); // treeReduce(depth 2) over 8 partitions has an intermediate level
        // Gradients (the optimizer on the master), as written: level 0 is Spark's shuffle output,
        // lz4-compressed, and with auto's workers placement Adam's first updates (+-lr nearly
        // everywhere) compress below the Kryo count this test compares against.
        c = c.with(TrainSetting.OPTIMIZER_ON, OptimizerPlacement.MASTER.cliName());
        DistributedTrainer t = new DistributedTrainer(sc, c, data);
        try {
            t.fit();
            List<Long> levels = t.treeLevelBytes();
            assertEquals(2, levels.size(), "levels " + levels);
            assertTrue(levels.get(0) >= t.uplinkBytes(), "level 0 carries the workers' messages: " + levels);
            // Level 1: two partial aggregates, each the sparse union of four messages; sums that fp16
            // cannot hold exactly travel as fp32, so at most twice the bytes that came in.
            assertTrue(levels.get(1) > 0 && levels.get(1) <= 2 * levels.get(0), "level 1 merges them: " + levels);
        } finally {
            t.close();
        }
    }

    @Test
    void byteCountersEqualTheSerializedMessageSizes() {
        DistributedTrainer t = new DistributedTrainer(sc, config("qsgd:s=16", "residual", "layer", 3), data);
        List<StepRecord> records = new ArrayList<>();
        t.addListener(records::add);
        try {
            t.fit();
            com.esotericsoftware.kryo.Kryo kryo = io.lamina.app.engine.protocol.LaminaBytes.newKryo(); // what ships
            for (int p = 0; p < 2; p++) {
                assertNotNull(ReplicaRegistry.network(t.runId(), p));
            }
            long fromKryo = 0;
            long segmentSum = 0;
            for (int p = 0; p < 2; p++) {
                Aggregate m = ReplicaRegistry.lastShipped(t.runId(), p, 0);
                com.esotericsoftware.kryo.io.Output out = new com.esotericsoftware.kryo.io.Output(1 << 16, -1);
                kryo.writeClassAndObject(out, m);
                fromKryo += out.total();
                for (io.lamina.compression.Message s : m.parts().get(0).segments()) {
                    out.clear();
                    kryo.writeClassAndObject(out, s);
                    segmentSum += out.total();
                }
            }
            StepRecord last = records.get(records.size() - 1);
            assertEquals(fromKryo, last.uplinkBytes(), "uplink bytes of the last step");
            assertEquals(segmentSum, last.segments().stream().mapToLong(StepRecord.SegmentStat::uplinkBytes).sum());
            assertEquals(records.stream().mapToLong(StepRecord::uplinkBytes).sum(), t.uplinkBytes());
            // A 16-level QSGD message is far smaller than dense fp32.
            assertTrue(last.uplinkBytes() < 2 * 4L * t.master().numParams() / 3, "uplink " + last.uplinkBytes());
        } finally {
            t.close();
        }
    }
}
