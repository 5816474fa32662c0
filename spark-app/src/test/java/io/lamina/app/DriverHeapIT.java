package io.lamina.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver does not hold the training data: on a standalone cluster (executors in their own
 * JVMs), a driver capped at a 128 MB heap trains from a 60,000-example CSV larger than that on
 * disk (141 MB; 188 MB as floats) and from gzipped IDX files of the same examples (188 MB as
 * floats), each executor reading its own byte ranges. A driver that read the examples itself, as
 * the IDX loading once did (bytes, floats, then a broadcast), runs out of heap here. The driver's
 * GC log confirms the cap applied to it. Runs after {@code package} (failsafe); about a minute and
 * a half on 2 shared cores.
 */
class DriverHeapIT {

    private static final int EXAMPLES = 60_000;
    private static final int PIXELS = 784;
    private static final int DRIVER_HEAP_MB = 128;

    @TempDir
    Path tmp;
    private final Path repo = Path.of("..").toAbsolutePath().normalize();
    private Path cluster;

    @BeforeEach
    void startCluster() throws Exception {
        cluster = tmp.resolve("cluster");
        String out = run(List.of("bash", script("standalone-cluster.sh"), "start", "--workers", "2"),
                Map.of("LAMINA_CLUSTER_DIR", cluster.toString(), "LAMINA_EXECUTOR_MEMORY", "1g"), 3);
        assertTrue(out.contains("MASTER_URL=spark://"), out);
    }

    @AfterEach
    void stopCluster() throws Exception {
        run(List.of("bash", script("standalone-cluster.sh"), "stop", cluster.toString()), Map.of(), 1);
    }

    @Test
    void aDriverWithA128MbHeapTrainsFromCsvAndIdxLargerThanIt() throws Exception {
        Random rnd = new Random(3);
        Path csv = tmp.resolve("train.csv");
        Path idx = Files.createDirectories(tmp.resolve("idx"));
        byte[][] train = examples(EXAMPLES, rnd);
        byte[][] test = examples(1_000, rnd);
        writeCsv(train, csv);
        writeCsv(test, tmp.resolve("test.csv"));
        writeIdx(train, idx.resolve("train-images-idx3-ubyte.gz"), idx.resolve("train-labels-idx1-ubyte.gz"));
        writeIdx(test, idx.resolve("t10k-images-idx3-ubyte.gz"), idx.resolve("t10k-labels-idx1-ubyte.gz"));
        assertTrue(Files.size(csv) > (DRIVER_HEAP_MB << 20), "the CSV is larger than the driver's heap: " + Files.size(csv));

        train("csv", List.of("--train", csv.toString(), "--test", tmp.resolve("test.csv").toString()));
        train("idx", List.of("--data", idx.toString()));
    }

    /** Trains 20 steps of the MLP from {@code data} on the cluster, the driver capped; checks the run and the cap. */
    private void train(String name, List<String> data) throws Exception {
        // Spark refuses a heap below 450 MB unless told what to assume (a test setting); the cap is the JVM's -Xmx.
        Path props = tmp.resolve(name + ".conf");
        Files.writeString(props, "", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(props, PosixFilePermissions.fromString("rw-------")); // it holds the secret
        Files.writeString(props, Files.readString(cluster.resolve("conf/app.conf"))
                + "\nspark.testing.memory 536870912\n");
        Path gcLog = tmp.resolve(name + "-gc.log");
        Path out = tmp.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("bash", script("lamina.sh"), "train", "--model", "mlp",
                "--workers", "2", "--steps", "20", "--batch", "64", "--output", out.toString()));
        cmd.addAll(data);
        String log = run(cmd, Map.of("LAMINA_MASTER", Files.readString(cluster.resolve("master-url")).trim(),
                "LAMINA_SPARK_PROPERTIES", props.toString(), "LAMINA_DRIVER_MEMORY", DRIVER_HEAP_MB + "m",
                // the driver's JVM only (lamina.sh runs it): the cluster's daemons and executors are already up
                "JAVA_TOOL_OPTIONS", "-Xlog:gc:file=" + gcLog), 5);
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("completed", summary.get("status").asText(), log);
        assertEquals(EXAMPLES, summary.get("train_examples").asInt());
        assertEquals(20, summary.get("steps").asInt());
        assertTrue(summary.get("test_accuracy").asDouble() > 0.5, name + ": " + summary.get("test_accuracy"));
        assertTrue(largestHeapMb(Files.readString(gcLog)) <= DRIVER_HEAP_MB, "the cap applied to the driver");
    }

    /** The largest heap size G1 reports ({@code 25M->14M(382M)}) in a {@code -Xlog:gc} log. */
    private static int largestHeapMb(String gcLog) {
        Matcher m = Pattern.compile("\\d+M->\\d+M\\((\\d+)M\\)").matcher(gcLog);
        int largest = 0;
        int pauses = 0;
        while (m.find()) {
            largest = Math.max(largest, Integer.parseInt(m.group(1)));
            pauses++;
        }
        assertTrue(pauses > 0, "no collection in the driver's GC log:\n" + gcLog);
        return largest;
    }

    /**
     * Per example its label (first byte) and pixels 10..99 (two digits in a CSV, so the file size is
     * known): the class lights every tenth pixel from its own offset, plus noise, so the MLP learns it.
     */
    private static byte[][] examples(int n, Random rnd) {
        byte[][] e = new byte[n][PIXELS + 1];
        for (int i = 0; i < n; i++) {
            int label = rnd.nextInt(10);
            e[i][0] = (byte) label;
            for (int j = 0; j < PIXELS; j++) {
                e[i][j + 1] = (byte) (10 + rnd.nextInt(40) + (j % 10 == label ? 50 : 0));
            }
        }
        return e;
    }

    private static void writeCsv(byte[][] examples, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            StringBuilder line = new StringBuilder();
            for (byte[] e : examples) {
                line.setLength(0);
                line.append(e[0]);
                for (int j = 1; j <= PIXELS; j++) {
                    line.append(',').append(e[j]);
                }
                w.write(line.append('\n').toString());
            }
        }
    }

    private static void writeIdx(byte[][] examples, Path images, Path labels) throws IOException {
        try (DataOutputStream im = gzip(images); DataOutputStream lb = gzip(labels)) {
            im.writeInt(2051);
            im.writeInt(examples.length);
            im.writeInt(28);
            im.writeInt(28);
            lb.writeInt(2049);
            lb.writeInt(examples.length);
            for (byte[] e : examples) {
                im.write(e, 1, PIXELS);
                lb.write(e[0]);
            }
        }
    }

    private static DataOutputStream gzip(Path file) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        return new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(raw, 1 << 16)));
    }

    private String script(String name) {
        return repo.resolve("submit-scripts").resolve(name).toString();
    }

    /** Runs {@code cmd} with {@code env} added; returns its output; fails unless it exits 0 within the minutes. */
    private String run(List<String> cmd, Map<String, String> env, int minutes) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile(tmp, "process", ".log");
        Process p = pb.redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(minutes, TimeUnit.MINUTES);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        String output = Files.readString(log);
        assertTrue(done, String.join(" ", cmd) + " did not finish in " + minutes + " minutes:\n" + output);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + output);
        return output;
    }
}
