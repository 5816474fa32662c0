package io.lamina.app.api;

import static io.lamina.app.api.Lamina.ENTIRE_MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.model.ModelKind;
import io.lamina.app.spark.SparkContexts;
import io.lamina.datasets.IdxDataset;
import io.lamina.datasets.TrainTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API on one local[2] context: a real fit, and validation failing before any Spark job. */
class LaminaApiTest {

    private static final long MLP_PARAMS = 235_146;
    private static JavaSparkContext sc;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        sc = SparkContexts.create("local[2]", "lamina-api-test");
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void fitTrainsAnMlpAndReturnsFiguresAndTheTrainedModel() throws Exception {
        Path out = tmp.resolve("run");
        TrainingResult r = Lamina.trainer(sc)
                .model("mlp")
                .workers(2)
                .batchPerWorker(32)
                .steps(20)
                .optimizer("adam", 1e-3)
                .compressor("qsgd:s=256")
                .memory("none")
                .granularity(ENTIRE_MODEL)
                .seed(7)
                .evalEvery(10)
                .output(out.toString())
                .quiet()
                .fit();

        assertEquals("completed", r.status());
        assertTrue(r.testAccuracy() > 0.3, "accuracy " + r.testAccuracy());
        assertTrue(r.testLoss() > 0 && Double.isFinite(r.testLoss()), "loss " + r.testLoss());
        assertEquals(20, r.steps());
        assertTrue(r.samplesPerSecond() > 0);
        long dense = 20L * 2 * 4 * MLP_PARAMS;
        assertTrue(r.uplinkBytes() > 0 && r.uplinkBytes() < dense / 2, "qsgd uplink " + r.uplinkBytes());
        assertTrue(r.downlinkBytes() > 0);
        assertEquals(out, r.outputDir());
        assertTrue(Files.isRegularFile(r.metricsFile()));
        assertEquals(20, r.metrics().size());
        assertTrue(r.metrics().get(9).containsKey("test_accuracy"), "step 10 carries an evaluation");
        List<StepRow> history = r.history();
        assertEquals(20, history.size());
        assertEquals(r.uplinkBytes(), history.get(19).uplinkBytesSoFar(), "running total ends at the summary's");
        assertEquals(r.downlinkBytes(), history.get(19).downlinkBytesSoFar());
        assertEquals(r.steps(), history.get(19).stepsDone());
        List<StepRow> evals = r.evaluations();
        assertEquals(List.of(10L, 20L), evals.stream().map(StepRow::stepsDone).toList());
        assertEquals(r.testAccuracy(), evals.get(1).testAccuracy(), "the last evaluation is the summary's");
        assertTrue(evals.get(0).testAccuracy() >= 0 && evals.get(0).testAccuracy() <= 1);
        assertTrue(evals.get(0).uplinkBytesSoFar() < evals.get(1).uplinkBytesSoFar());
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) r.summary().get("config");
        assertEquals("qsgd:s=256", config.get("compressor"));
        assertEquals("model", config.get("granularity"));
        assertEquals(32, config.get("batch_per_worker"));

        MultiLayerNetwork net = r.multiLayerNetwork();
        assertEquals(MLP_PARAMS, net.numParams());
        assertEquals(MLP_PARAMS, r.parameters());
        assertThrows(IllegalStateException.class, r::computationGraph);
        assertTrue(r.toString().contains("mlp"), r.toString());
        assertTrue(sc.sc().isStopped() == false, "the caller's context stays open");
    }

    @Test
    void fitOnInMemoryDataRecordsWhereTheDataCameFrom() {
        TrainTestData data = IdxDataset.loadEmbedded();
        TrainingResult r = Lamina.trainer(sc).model(ModelKind.MLP).batchPerWorker(16).steps(3)
                .compressor("topk", 0.01).memory("residual").granularity(Lamina.bucketed(65_536))
                .output(tmp.resolve("mem")).quiet().fit(data);
        assertEquals(3, r.steps());
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) r.summary().get("config");
        assertEquals("topk:0.01", config.get("compressor"));
        assertEquals("bucket:65536", config.get("granularity"));
        assertTrue(String.valueOf(config.get("data")).startsWith("in-memory:"), String.valueOf(config.get("data")));
    }

    private static void assertRejected(Supplier<Object> call, String... expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), "message should mention '" + s + "': " + e.getMessage());
        }
    }

    @Test
    void invalidSettingsThrowNamingTheSetterAndWhatIsAllowedBeforeAnySparkJob() {
        int jobsBefore = sc.sc().statusTracker().getJobIdsForGroup(null).length;
        assertRejected(() -> Lamina.trainer(sc).compressor("zip"), "compressor(\"zip\")", "unknown compressor 'zip'",
                "topk", "qsgd");
        assertRejected(() -> Lamina.trainer(sc).compressor("topk", 1.5), "compressor(\"topk:1.5\")", "ratio");
        assertRejected(() -> Lamina.trainer(sc).workers(0), "workers(0)", "must be >= 1");
        assertRejected(() -> Lamina.trainer(sc).model("vgg"), "model(\"vgg\")", "mlp, lenet, resnet");
        assertRejected(() -> Lamina.trainer(sc).granularity("tile"), "granularity(\"tile\")", "layer, model, bucket");
        assertRejected(() -> Lamina.trainer(sc).memory("forget"), "memory(\"forget\")", "residual");
        assertRejected(() -> Lamina.trainer(sc).optimizer("lbfgs", 0.1), "lbfgs", "sgd, nesterov, adam");
        assertRejected(() -> Lamina.trainer(sc).optimizer("adam", -1), "lr must be a positive");
        assertRejected(() -> Lamina.trainer(sc).optimizerOn("driver"), "optimizerOn(\"driver\")", "master, workers");
        assertRejected(() -> Lamina.trainer(sc).schedule("cosine"), "schedule(\"cosine\")", "constant, linear");
        assertRejected(() -> Lamina.trainer(sc).steps(-1), "steps(-1)");
        assertRejected(() -> Lamina.bucketed(0), "bucketed(0)");
        assertRejected(() -> Lamina.trainer((JavaSparkContext) null), "JavaSparkContext");
        // only detectable against the data: the batch must fit a worker's share; fails in fit, before Spark work
        assertRejected(() -> Lamina.trainer(sc).model("mlp").batchPerWorker(5000).steps(1).quiet()
                .output(tmp.resolve("never")).fit(), "larger than a partition", "allowed: 1..");
        assertEquals(jobsBefore, sc.sc().statusTracker().getJobIdsForGroup(null).length, "no Spark job ran");
        assertTrue(!Files.exists(tmp.resolve("never")), "nothing written");
        // a valid builder describes its configuration
        assertEquals("topk:0.05", Lamina.trainer(sc).compressor("topk", 0.05).describe().get("compressor"));
        assertEquals("qsgd:256", Lamina.trainer(sc).compressor("qsgd", 256).describe().get("compressor"));
        assertEquals("mlp", Lamina.trainer(sc.sc()).model("mlp").describe().get("model")); // Scala SparkContext
    }
}
