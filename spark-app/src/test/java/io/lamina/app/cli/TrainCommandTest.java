package io.lamina.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.datasets.IdxImages;
import io.lamina.datasets.IdxLabels;
import io.lamina.datasets.IdxWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lamina train} end to end, and every kind of bad input failing before Spark starts. */
class TrainCommandTest {

    @TempDir
    Path tmp;

    private static void assertBadInput(CliRun r, String... expectedInMessage) {
        assertEquals(LaminaCli.EXIT_BAD_INPUT, r.code(), "exit code; stderr: " + r.err());
        for (String s : expectedInMessage) {
            assertTrue(r.err().contains(s), "stderr should mention '" + s + "': " + r.err());
        }
    }

    @Test
    void trainsAndWritesMetricsSummaryAndAModelPlainDl4jLoads() throws Exception {
        Path out = tmp.resolve("run");
        CliRun r = CliRun.of("train", "--model", "mlp", "--steps", "30", "--batch", "32", "--eval-every", "15",
                "--output", out.toString(), "--master", "local[2]");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(30, lines.size());
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        for (String key : List.of("step", "wall_ms", "compute_max_ms", "compute_mean_ms", "driver_update_ms",
                "other_ms", "loss", "uplink_bytes", "downlink_bytes")) {
            assertTrue(first.has(key), "metrics line lacks " + key);
        }
        assertTrue(json.readTree(lines.get(14)).has("test_accuracy"), "step 15 should carry an evaluation");
        JsonNode summary = json.readTree(out.resolve("summary.json").toFile());
        for (String key : List.of("test_accuracy", "test_loss", "steps", "samples_per_second", "uplink_bytes",
                "downlink_bytes", "wall_seconds", "config")) {
            assertTrue(summary.has(key), "summary lacks " + key);
        }
        assertEquals(30, summary.get("steps").asInt());
        assertEquals("mlp", summary.get("config").get("model").asText());
        assertTrue(summary.get("test_accuracy").asDouble() > 0.5, "accuracy " + summary.get("test_accuracy"));
        // uplink: 30 steps x 2 workers x (4 bytes per parameter + a small header)
        long params = 235_146;
        long up = summary.get("uplink_bytes").asLong();
        assertTrue(up >= 30L * 2 * 4 * params && up < 30L * 2 * (4 * params + 1000), "uplink bytes " + up);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(out.resolve("model.zip").toFile());
        assertEquals(params, restored.numParams());
    }

    @Test
    void rejectsWrongOptionsListingWhatIsAllowed() {
        assertBadInput(CliRun.of("train", "--model", "vgg"), "unknown model 'vgg'", "mlp, lenet, resnet");
        assertBadInput(CliRun.of("train", "--optimizer", "lbfgs"), "unknown optimizer 'lbfgs'", "sgd, nesterov, adam");
        assertBadInput(CliRun.of("train", "--optimizer-on", "driver"), "unknown --optimizer-on 'driver'", "master, workers");
        assertBadInput(CliRun.of("train", "--lr", "-0.1"), "--lr must be a positive");
        assertBadInput(CliRun.of("train", "--workers", "0"), "--workers must be >= 1");
        assertBadInput(CliRun.of("train", "--batch", "5000"), "larger than a partition", "allowed: 1..3000");
        assertBadInput(CliRun.of("train", "--compressor", "zip"), "unknown compressor 'zip'");
        assertBadInput(CliRun.of("train", "--granularity", "tile"), "unknown granularity", "layer, model, bucket");
        assertBadInput(CliRun.of("train", "--lr-schedule", "cosine"), "--lr-schedule", "constant, linear");
        assertBadInput(CliRun.of("train", "--workers", "abc"), "workers");
    }

    @Test
    void rejectsCombinationsThatWouldTrainWrongBeforeSparkStarts() {
        assertBadInput(CliRun.of("train", "--compressor", "signsgd", "--optimizer-on", "workers"), "'signsgd'", "majority vote",
                "allowed", "master");
        assertBadInput(CliRun.of("train", "--compressor", "randomk:0.01,scaled=true", "--memory", "residual"), "e(1 - d/k)",
                "scaled=false", "memory none");
        assertBadInput(CliRun.of("train", "--compressor", "topk:0.01", "--memory", "dgc", "--optimizer", "nesterov"),
                "second momentum", "optimizer sgd");
        assertBadInput(CliRun.of("train", "--compressor", "efsign", "--memory", "efsign", "--optimizer-on", "master",
                "--lr-schedule", "exp:0.99"), "memory 'efsign'", "constant learning rate", "optimizer-on workers");
    }

    private Path validData() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        int n = 40;
        byte[] pixels = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
            pixels[i * 784 + i] = (byte) 200;
        }
        for (String split : List.of("train", "t10k")) {
            IdxWriter.writeImages(dir.resolve(split + "-images-idx3-ubyte.gz"), new IdxImages(n, 28, 28, pixels), true);
            IdxWriter.writeLabels(dir.resolve(split + "-labels-idx1-ubyte.gz"), new IdxLabels(labels), true);
        }
        return dir;
    }

    @Test
    void rejectsMissingCorruptAndTruncatedDataBeforeTraining() throws Exception {
        assertBadInput(CliRun.of("train", "--data", tmp.resolve("nowhere").toString()), "nowhere");

        Path dir = validData();
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] good = Files.readAllBytes(images);

        Files.write(images, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3}); // gzip header, then garbage
        assertBadInput(CliRun.of("train", "--data", dir.toString()), "train-images-idx3-ubyte.gz");

        IdxWriter.writeImages(images, new IdxImages(40, 28, 28, new byte[40 * 784]), false);
        byte[] raw = Files.readAllBytes(images);
        raw[3] = 0x01; // magic 0x00000801: a label file's
        Files.write(images, raw);
        assertBadInput(CliRun.of("train", "--data", dir.toString()), "train-images-idx3-ubyte.gz", "magic");

        IdxWriter.writeImages(images, new IdxImages(40, 28, 28, new byte[40 * 784]), false);
        raw = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(raw, raw.length - 100));
        assertBadInput(CliRun.of("train", "--data", dir.toString()), "train-images-idx3-ubyte.gz", "truncated");

        IdxWriter.writeImages(images, new IdxImages(30, 28, 28, new byte[30 * 784]), false);
        assertBadInput(CliRun.of("train", "--data", dir.toString()), "30", "40");

        Files.write(images, good);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertBadInput(CliRun.of("train", "--data", dir.toString()), "t10k-labels-idx1-ubyte");
    }

    @Test
    void rejectsConflictingHalfOrWrongDataOptionsBeforeSparkStarts() throws Exception {
        Path ok = Files.writeString(tmp.resolve("ok.csv"), "1,2,3\n0,1,1\n");
        assertBadInput(CliRun.of("train", "--data", "x", "--train", ok.toString(), "--test", ok.toString()), "not both");
        assertBadInput(CliRun.of("train", "--train", ok.toString()), "--train and --test go together");
        assertBadInput(CliRun.of("train", "--train", tmp.resolve("none.csv").toString(), "--test", ok.toString()),
                "none.csv: not found (--train)");
        assertBadInput(CliRun.of("train", "--normalize", "zscore"), "unknown --normalize 'zscore'", "standard, minmax");
        assertBadInput(CliRun.of("train", "--format", "parquet"), "unknown --format 'parquet'", "csv, libsvm");
        assertBadInput(CliRun.of("train", "--train", ok.toString(), "--test", ok.toString(), "--label-column", "5"),
                "--label-column 5 but the first line has 3 columns");
    }

    @Test
    void aBadLineFoundOnTheExecutorsExitsWithBadInputNamingTheFileAndLine() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 3000; i++) {
            sb.append(i % 2).append(i == 1500 ? ",1,oops\n" : ",0.5,2\n");
        }
        Path train = Files.writeString(tmp.resolve("train.csv"), sb.toString());
        Path test = Files.writeString(tmp.resolve("test.csv"), "1,0.5,2\n0,1,1\n");
        CliRun r = CliRun.of("train", "--train", train.toString(), "--test", test.toString(), "--model", "mlp",
                "--steps", "2", "--output", tmp.resolve("run").toString(), "--master", "local[2]");
        assertBadInput(r, train + ", line 1500: column 3 'oops' is not a finite number");
        // Spark logs the task's failure itself; the CLI's own message is the file and the line, no stack trace
        List<String> ours = r.err().lines().filter(l -> l.startsWith("lamina train: ")).toList();
        assertEquals(List.of("lamina train: file:" + train + ", line 1500: column 3 'oops' is not a finite number"), ours);
    }
}
