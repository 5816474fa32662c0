package io.lamina.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench.json}: every figure of the bench's printed tables, for comparing runs across
 * commits. Its fields are listed in docs/PERFORMANCE.md; {@link #FORMAT} changes when one changes
 * meaning or goes. A figure that was not measured is absent, never NaN or null.
 */
final class BenchJson {

    static final String FILE = "bench.json";
    /** The layout's version, the file's {@code format}. */
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchJson() {
    }

    /**
     * Creates {@code dir} if needed and checks that the file can be written there, before the
     * long runs.
     *
     * @throws IllegalArgumentException naming {@code --output} and what is wrong
     */
    static void prepare(Path dir) {
        Path existing = dir.toAbsolutePath();
        while (!Files.exists(existing)) { // the nearest part of the path that exists must be a folder
            existing = existing.getParent();
        }
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException("--output " + dir + ": " + (existing.equals(dir.toAbsolutePath())
                    ? "it" : existing) + " is a file, not a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("--output " + dir + ": cannot create the folder: " + e);
        }
        Path file = dir.resolve(FILE);
        if (!Files.isWritable(dir) || Files.isDirectory(file) || Files.exists(file) && !Files.isWritable(file)) {
            throw new IllegalArgumentException("--output " + dir + ": cannot write " + file);
        }
    }

    /** Writes the file into {@code dir} and returns its path. */
    static Path write(Path dir, Map<String, Object> content) {
        Path file = dir.resolve(FILE);
        try {
            Files.write(file, JSON.writeValueAsBytes(content));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The file's content, in the order of docs/PERFORMANCE.md. */
    static Map<String, Object> content(BenchRunner.Settings s, Floors f, Baselines b, List<LaminaRun> runs,
            String gitCommit, Instant time) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("timestamp", time.toString());
        if (gitCommit != null) {
            m.put("git_commit", gitCommit);
        }
        m.put("machine", machine());
        m.put("settings", settings(s));
        Map<String, Object> floor = new LinkedHashMap<>();
        putMs(floor, Floors.TINY, f.tinyMs());
        putMs(floor, Floors.BROADCAST, f.broadcastMs());
        putMs(floor, Floors.DENSE_RESULT, f.denseResultMs());
        m.put("floor_ms", floor);
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("partitions", f.partitions());
        shape.put("tree_levels_on_executors", f.treeLevels());
        shape.put("tiny_result_bytes", SparkFloor.TINY_RESULT_BYTES);
        shape.put("broadcast_bytes", f.broadcastBytes());
        shape.put("dense_bytes", f.denseBytes());
        m.put("floor_shape", shape);
        baselines(m, b, s.workers());
        List<Map<String, Object>> list = new ArrayList<>();
        for (LaminaRun r : runs) {
            list.add(run(r, f));
        }
        m.put("runs", list);
        return m;
    }

    /** The fit name for the concurrent single-thread fits, one per worker: {@code fit_2concurrent} for 2 workers. */
    static String concurrentFitName(int workers) {
        return "fit_" + workers + "concurrent";
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java_version", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("compression_kernels", io.lamina.compression.simd.Simd.describe());
        return m;
    }

    private static Map<String, Object> settings(BenchRunner.Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", s.model().cliName());
        m.put("workers", s.workers());
        m.put("batch_per_worker", s.batch());
        m.put("warmup_steps", s.warmupSteps());
        m.put("steps", s.steps());
        m.put("optimizer_on", s.optimizerOn().cliName());
        m.put("tree_depth", s.train().treeDepth());
        m.put("compressors", s.compressors());
        m.put("granularities", s.granularities());
        return m;
    }

    private static void baselines(Map<String, Object> m, Baselines b, int workers) {
        Map<String, Object> sps = new LinkedHashMap<>();
        if (b.fit1Thread() != null) {
            putRounded(sps, "fit_1thread", b.fit1Thread(), 10);
        }
        if (b.fitConcurrent() != null) {
            putRounded(sps, concurrentFitName(workers), b.fitConcurrent(), 10);
        }
        Baselines.ParameterAveraging pa = b.parameterAveraging();
        if (pa != null) {
            putRounded(sps, "parameter_averaging", pa.samplesPerSecond(), 10);
        }
        if (b.sharedTraining() != null) {
            putRounded(sps, "shared_training_master", b.sharedTraining().samplesPerSecond(), 10);
        }
        m.put("baselines", sps);
        if (pa != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            putRounded(p, "uplink_bytes_per_step", pa.uplinkPerStep(), 10);
            putRounded(p, "downlink_bytes_per_step", pa.downlinkPerStep(), 10);
            putRounded(p, "test_accuracy", pa.testAccuracy(), 1e6);
            m.put("parameter_averaging", p);
        }
        if (b.sharedTraining() != null) {
            Map<String, Object> st = new LinkedHashMap<>();
            putRounded(st, "test_accuracy", b.sharedTraining().testAccuracy(), 1e6);
            m.put("shared_training_master", st);
        }
    }

    private static Map<String, Object> run(LaminaRun r, Floors f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", r.model());
        m.put("compressor", r.compressor());
        m.put("granularity", r.granularity());
        m.put("memory", r.memory());
        m.put("optimizer_on", r.optimizerOn());
        m.put("exchange", r.exchange());
        putRounded(m, "samples_per_second", r.samplesPerSecond(), 10);
        putMs(m, "median_wall_ms", r.medianWallMs());
        putMs(m, "median_compute_ms", r.medianComputeMs());
        putMs(m, "median_overhead_ms", r.medianOverheadMs());
        Map<String, Object> parts = new LinkedHashMap<>();
        putMs(parts, "replica_update", r.applyMs());
        putMs(parts, "encoding", r.encodeMs());
        putMs(parts, "driver", r.driverMs());
        putMs(parts, "spark", r.sparkMs());
        m.put("overhead_parts_ms", parts);
        m.put("floor", Floors.matchingKind(r.compressor()));
        putMs(m, "overhead_above_floor_ms", r.medianOverheadMs() - f.matching(r.compressor()));
        putRounded(m, "uplink_bytes_per_step", r.uplinkPerStep(), 10);
        putRounded(m, "downlink_bytes_per_step", r.downlinkPerStep(), 10);
        putRounded(m, "spark_result_bytes_per_step", r.sparkResultBytesPerStep(), 10);
        return m;
    }

    private static void putMs(Map<String, Object> m, String key, double ms) {
        putRounded(m, key, ms, 1000);
    }

    /** {@code v} rounded to 1/{@code scale}; left out if not finite (JSON has no NaN). */
    private static void putRounded(Map<String, Object> m, String key, double v, double scale) {
        if (Double.isFinite(v)) {
            m.put(key, Math.round(v * scale) / scale);
        }
    }

    /** {@code git rev-parse HEAD} in the working directory, or null when that is not a checkout (or git is missing). */
    static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] head = p.getInputStream().readNBytes(200);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroy();
                return null;
            }
            String commit = new String(head, StandardCharsets.US_ASCII).trim();
            return p.exitValue() == 0 && commit.matches("[0-9a-f]{40}") ? commit : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
