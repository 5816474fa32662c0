package io.lamina.app.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.app.TrainingJob;
import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.engine.protocol.Checkpoint;
import io.lamina.app.model.Dl4jNet;
import io.lamina.app.model.ModelKind;
import io.lamina.app.spark.SparkContexts;
import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.TrainTestData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of 2N steps and a run of N steps resumed for N more end with the same bits and the same
 * metrics for every step, for methods with no state, with residuals and the workers' optimizer
 * (Top-k), and with shared state (PowerSGD's Q); a resumed run keeps its configuration.
 */
class CheckpointResumeTest {

    private static final int N = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());
    private static JavaSparkContext sc;
    private static TrainTestData data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        sc = SparkContexts.create("local[2]", "checkpoint-resume-test");
        TrainTestData all = EmbeddedData.load();
        data = new TrainTestData(all.train().slice(0, 1000), all.test().slice(0, 100));
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static TrainConfig config(String compressor, String memory, long steps, Path out, int checkpointEvery) {
        Map<TrainSetting, Object> m = new EnumMap<>(TrainSetting.class);
        m.put(TrainSetting.MODEL, ModelKind.MLP.cliName());
        m.put(TrainSetting.WORKERS, 2);
        m.put(TrainSetting.BATCH, 16);
        m.put(TrainSetting.STEPS, steps);
        m.put(TrainSetting.COMPRESSOR, compressor);
        m.put(TrainSetting.MEMORY, memory);
        m.put(TrainSetting.THEORY_EVERY, 0);
        m.put(TrainSetting.CHECKPOINT_EVERY, checkpointEvery);
        m.put(TrainSetting.OUTPUT, out.toString());
        return TrainConfig.defaults().with(m);
    }

    private static List<JsonNode> metrics(Path run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private void assertResumeIsExact(String compressor, String memory) throws IOException {
        Path whole = tmp.resolve(compressor.replace(':', '_') + "-whole");
        Path parts = tmp.resolve(compressor.replace(':', '_') + "-parts");
        TrainingJob.run(config(compressor, memory, 2 * N, whole, 0), data, sc, QUIET);
        TrainingJob.run(config(compressor, memory, N, parts, N), data, sc, QUIET);
        Checkpoint c = new CheckpointStore(parts.toString(), new Configuration(), 2).latest();
        assertEquals(N, c.steps());
        Map<TrainSetting, Object> longer = new EnumMap<>(TrainSetting.class);
        longer.put(TrainSetting.STEPS, (long) (2 * N));
        TrainingJob.run(ResumeSettings.resume(c.settings(), longer), data, sc, QUIET, c);

        assertArrayEquals(Dl4jNet.load(whole.resolve("model.zip").toFile()).params(),
                Dl4jNet.load(parts.resolve("model.zip").toFile()).params(), compressor + ": final parameters");
        List<JsonNode> a = metrics(whole);
        List<JsonNode> b = metrics(parts);
        assertEquals(2 * N, b.size(), compressor + ": metrics.jsonl continues");
        for (int s = 0; s < 2 * N; s++) {
            assertEquals(s, b.get(s).get("step").asInt());
            for (String field : List.of("loss", "uplink_bytes", "downlink_bytes", "residual_norm", "rebuilt_replicas")) {
                assertEquals(a.get(s).get(field), b.get(s).get(field), compressor + " step " + s + " " + field);
            }
        }
        JsonNode summaryA = JSON.readTree(whole.resolve("summary.json").toFile());
        JsonNode summaryB = JSON.readTree(parts.resolve("summary.json").toFile());
        for (String field : List.of("steps", "uplink_bytes", "downlink_bytes", "test_accuracy", "rebuilt_replicas")) {
            assertEquals(summaryA.get(field), summaryB.get(field), compressor + " summary " + field);
        }
    }

    @Test
    void noCompressionResumesBitIdentically() throws IOException {
        assertResumeIsExact("none", "none");
    }

    @Test
    void topKWithResidualsAndTheWorkersOptimizerResumesBitIdentically() throws IOException {
        assertResumeIsExact("topk:0.05", "residual");
    }

    @Test
    void powerSgdResumesBitIdentically() throws IOException {
        assertResumeIsExact("powersgd:rank=2", "residual");
    }

    @Test
    void signumsMomentumIsResumedToo() throws IOException {
        assertResumeIsExact("signum", "none");
    }

    @Test
    void aResumedRunKeepsItsConfiguration() throws IOException {
        Path run = tmp.resolve("keep");
        TrainingJob.run(config("topk:0.05", "residual", N, run, N), data, sc, QUIET);
        Checkpoint c = new CheckpointStore(run.toString(), new Configuration(), 2).latest();
        Map<TrainSetting, Object> other = new EnumMap<>(TrainSetting.class);
        other.put(TrainSetting.COMPRESSOR, "qsgd:s=16");
        CheckpointException e = assertThrows(CheckpointException.class, () -> ResumeSettings.resume(c.settings(), other));
        assertTrue(e.getMessage().contains("--compressor qsgd:s=16 differs from the checkpoint's topk:0.05"), e.getMessage());
        Map<TrainSetting, Object> epochs = new EnumMap<>(TrainSetting.class);
        epochs.put(TrainSetting.EPOCHS, 3);
        assertEquals(0L, ResumeSettings.resume(c.settings(), epochs).steps(), "--epochs alone sets the length in epochs");
        assertThrows(CheckpointException.class,
                () -> new CheckpointStore(tmp.resolve("nothing").toString(), new Configuration(), 2).latest());
    }

    @Test
    void aRunThatFailsStillWritesItsSummaryAndModel() throws IOException {
        Path run = tmp.resolve("fails");
        Files.createDirectories(run);
        Files.writeString(run.resolve("checkpoints"), "a file where the checkpoint folder should go");
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> TrainingJob.run(config("none", "none", N, run, 2), data, sc, QUIET));
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("failed", summary.get("status").asText());
        assertTrue(summary.get("error").asText().contains("checkpoint"), summary.toString());
        assertEquals(2, summary.get("steps").asInt(), "the steps done before the failure");
        assertTrue(Files.size(run.resolve("model.zip")) > 10_000, e.toString());
    }
}
