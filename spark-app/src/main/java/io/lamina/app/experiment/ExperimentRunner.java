package io.lamina.app.experiment;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.app.TrainingJob;
import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.app.engine.driver.TrainingDivergedException;
import io.lamina.datasets.DatasetException;
import io.lamina.app.data.DataSource;
import io.lamina.app.data.DataSources;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs an {@link Experiment}'s runs one after another on one Spark context and writes, in the
 * experiment's output root: each run's folder (as {@code lamina train} would), {@code experiment.jsonl}
 * (one line per finished run: its values and the summary's key figures; appended as runs finish),
 * {@code results.md} (a Markdown table, rewritten after every run) and {@code experiment.yaml}
 * (a copy of the file that was run).
 */
public final class ExperimentRunner {

    /** The summary figures copied into {@code experiment.jsonl} and the table. */
    public static final List<String> FIGURES = List.of("test_accuracy", "test_loss", "steps", "samples_per_second",
            "uplink_bytes", "downlink_bytes", "wall_seconds", "median_step_overhead_ms", "final_train_loss",
            "parameters");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How one run ended.
     *
     * @param status  {@code completed}, {@code diverged}, {@code failed}, or {@code skipped} (the Spark
     *                context died before the run)
     * @param summary the run's {@code summary.json} (empty if none was written)
     * @param error   what went wrong, or null
     */
    public record RunOutcome(ExperimentRun run, String status, Map<String, Object> summary, String error) {
    }

    private ExperimentRunner() {
    }

    /**
     * Checks every data source the runs use (once each: files, headers, first lines) and, where the
     * training count is known without a pass (IDX, the embedded subset), that every run's batch
     * fits a worker's share. Call before starting Spark.
     *
     * @return the sources by {@link #dataKey}
     * @throws ExperimentFileException naming the file, the run and what is allowed
     */
    public static Map<String, DataSource> loadData(Experiment e) {
        Map<String, DataSource> data = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        for (ExperimentRun r : e.runs()) {
            TrainConfig c = r.config();
            String key = dataKey(c);
            if (!data.containsKey(key)) {
                try {
                    DataSource source = TrainingJob.source(c);
                    counts.put(key, source.check(DataSources.hadoopConfigurationBeforeSpark()));
                    data.put(key, source);
                } catch (DatasetException | IllegalArgumentException ex) {
                    throw new ExperimentFileException(e.file(), "data (run '" + r.id() + "')", ex.getMessage(), ex);
                }
            }
            try {
                if (counts.get(key) >= 0) {
                    DistributedTrainer.stepsPerEpoch(c, counts.get(key));
                }
            } catch (IllegalArgumentException ex) {
                throw new ExperimentFileException(e.file(), "batch (run '" + r.id() + "')",
                        ex.getMessage().replaceAll("--([a-z][a-z-]*)", "$1"), ex);
            }
        }
        return data;
    }

    /** The settings that say which data a run reads, as one key: runs with the same key share a source. */
    public static String dataKey(TrainConfig c) {
        return String.join("|", String.valueOf(c.data()), String.valueOf(c.train()), String.valueOf(c.test()),
                c.format(), String.valueOf(c.labelColumn()), String.valueOf(c.header()), c.normalize(),
                String.valueOf(c.classes()), String.valueOf(c.features()));
    }

    /** The runs as a plain-text table, for {@code --dry-run} and the start of a real run. */
    public static String describe(Experiment e) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("experiment %s (%s): %d runs, output %s%n", e.name(), e.file(), e.runs().size(),
                e.output()));
        if (!e.description().isEmpty()) {
            sb.append("  ").append(e.description().strip().replaceAll("\\s*\\n\\s*", " ")).append('\n');
        }
        sb.append("  base: ");
        List<String> base = new ArrayList<>();
        e.base().forEach((k, v) -> base.add(k + "=" + TrainSetting.display(v)));
        sb.append(base.isEmpty() ? "(lamina train defaults)" : String.join(", ", base)).append('\n');
        for (ExperimentRun r : e.runs()) {
            TrainConfig c = r.config();
            sb.append(String.format("  %2d. %-50s %s, %d workers x %d, %s, compressor %s, memory %s, granularity %s%n",
                    r.index() + 1, r.id(), c.model().cliName(), c.workers(), c.batchPerWorker(),
                    c.steps() > 0 ? c.steps() + " steps" : c.epochs() + " epochs", c.compressor(), c.memory(), c.granularity()));
        }
        return sb.toString();
    }

    /**
     * Runs every run in order on {@code sc}. A run that diverges or fails is recorded and the next
     * one starts; if the Spark context itself stops, the remaining runs are recorded as skipped.
     */
    public static List<RunOutcome> run(Experiment e, Map<String, DataSource> data, JavaSparkContext sc,
            PrintStream out) throws IOException {
        return run(e, data, sc, out, false);
    }

    /**
     * As {@link #run(Experiment, Map, JavaSparkContext, PrintStream)}; with {@code resume}, a run whose
     * folder already holds a completed {@code summary.json} with the same configuration is not run
     * again (its summary is recorded as it is).
     *
     * @param data the data sources by {@link #dataKey}, from {@link #loadData(Experiment)}
     */
    public static List<RunOutcome> run(Experiment e, Map<String, DataSource> data, JavaSparkContext sc,
            PrintStream out, boolean resume) throws IOException {
        return run(e, data, sc, out, resume, 0);
    }

    /**
     * As {@link #run(Experiment, Map, JavaSparkContext, PrintStream, boolean)}, after a warm-up of
     * {@code warmupSteps} steps (0: none) of the first run that is to train, so that run does not pay
     * for the JIT, ND4J's and Spark's first jobs alone: its samples/s and time to a target accuracy
     * compare with the others'. The warm-up's output is discarded.
     */
    public static List<RunOutcome> run(Experiment e, Map<String, DataSource> data, JavaSparkContext sc,
            PrintStream out, boolean resume, int warmupSteps) throws IOException {
        boolean warm = warmupSteps == 0;
        Path root = e.output();
        Files.createDirectories(root);
        if (Files.isRegularFile(e.file())) {
            Files.copy(e.file(), root.resolve("experiment.yaml"), StandardCopyOption.REPLACE_EXISTING);
        }
        Path jsonl = root.resolve("experiment.jsonl");
        String started = Instant.now().toString();
        List<RunOutcome> outcomes = new ArrayList<>();
        try (BufferedWriter lines = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8)) {
            for (ExperimentRun r : e.runs()) {
                RunOutcome o;
                Map<String, Object> done = resume ? completedSummary(r) : null;
                if (done != null) {
                    out.printf("lamina experiment: run %d/%d %s already completed in %s (--resume)%n", r.index() + 1,
                            e.runs().size(), r.id(), r.outputDir());
                    o = new RunOutcome(r, "completed", done, null);
                } else if (sc.sc().isStopped()) {
                    o = new RunOutcome(r, "skipped", Map.of(), "the Spark context stopped before this run");
                } else {
                    if (!warm) {
                        warmUp(r, data.get(dataKey(r.config())), sc, out, warmupSteps);
                        warm = true;
                    }
                    out.printf("lamina experiment: run %d/%d %s -> %s%n", r.index() + 1, e.runs().size(), r.id(),
                            r.outputDir());
                    o = runOne(r, data.get(dataKey(r.config())), sc, out);
                }
                outcomes.add(o);
                lines.write(JSON.writeValueAsString(line(e, o)));
                lines.newLine();
                lines.flush();
                writeResults(e, outcomes, started);
            }
        }
        return outcomes;
    }

    /** A short run of {@code r}'s settings into a temporary folder, deleted after; a failure here is only said. */
    private static void warmUp(ExperimentRun r, DataSource data, JavaSparkContext sc, PrintStream out, int steps)
            throws IOException {
        Path dir = Files.createTempDirectory("lamina-warmup");
        TrainConfig c = r.config().with(TrainSetting.STEPS, (long) steps).with(TrainSetting.EVAL_EVERY, 0)
                .with(TrainSetting.CHECKPOINT_EVERY, 0).with(TrainSetting.OUTPUT, dir.toString());
        out.printf("lamina experiment: warming up with %d steps of %s (not recorded)%n", steps, r.id());
        long start = System.nanoTime();
        try {
            TrainingJob.run(c, data, sc, new PrintStream(OutputStream.nullOutputStream()));
            out.printf("lamina experiment: warmed up in %.1f s%n", (System.nanoTime() - start) / 1e9);
        } catch (IOException | RuntimeException ex) {
            out.printf("lamina experiment: the warm-up failed (%s); the runs go on%n", ex);
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static RunOutcome runOne(ExperimentRun r, DataSource data, JavaSparkContext sc, PrintStream out) {
        try {
            Map<String, Object> summary = TrainingJob.run(r.config(), data, sc, out);
            return new RunOutcome(r, String.valueOf(summary.get("status")), summary, null);
        } catch (TrainingDivergedException ex) {
            out.printf("lamina experiment: run %s diverged: %s%n", r.id(), ex.getMessage());
            return new RunOutcome(r, "diverged", readSummary(r.outputDir()), ex.getMessage());
        } catch (IOException | RuntimeException ex) {
            out.printf("lamina experiment: run %s failed: %s%n", r.id(), ex);
            return new RunOutcome(r, "failed", readSummary(r.outputDir()), ex.toString());
        }
    }

    /** The run's summary if its folder holds a completed run of the same configuration, else null. */
    static Map<String, Object> completedSummary(ExperimentRun r) {
        Map<String, Object> summary = readSummary(r.outputDir());
        if (!"completed".equals(summary.get("status")) || !(summary.get("config") instanceof Map<?, ?> recorded)) {
            return null;
        }
        try {
            Map<String, Object> expected = new LinkedHashMap<>(r.config().toMap());
            Map<Object, Object> actual = new LinkedHashMap<>(recorded);
            for (String ignored : List.of("master", "output")) {
                expected.remove(ignored);
                actual.remove(ignored);
            }
            // through JSON text on both sides, so that 5 (int) and 5 (long) compare equal
            boolean same = JSON.readTree(JSON.writeValueAsString(expected))
                    .equals(JSON.readTree(JSON.writeValueAsString(actual)));
            return same ? summary : null;
        } catch (IOException ex) {
            return null;
        }
    }

    private static Map<String, Object> readSummary(Path dir) {
        Path f = dir.resolve("summary.json");
        try {
            return Files.isRegularFile(f) ? JSON.readValue(f.toFile(), new TypeReference<Map<String, Object>>() { })
                    : Map.of();
        } catch (IOException ex) {
            return Map.of();
        }
    }

    /** One {@code experiment.jsonl} line. */
    static Map<String, Object> line(Experiment e, RunOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", e.name());
        m.put("run", o.run().id());
        m.put("index", o.run().index());
        m.put("values", values(e, o.run()));
        m.put("status", o.status());
        if (o.error() != null) {
            m.put("error", o.error());
        }
        for (String k : FIGURES) {
            m.put(k, o.summary().get(k));
        }
        m.put("compression_ratio", compressionRatio(o));
        m.put("output", o.run().outputDir().toString());
        return m;
    }

    /** The run's effective value of every column (defaults included), as JSON-friendly types. */
    static Map<String, Object> values(Experiment e, ExperimentRun r) {
        Map<String, Object> v = new LinkedHashMap<>();
        for (String key : e.columns()) {
            Object value = r.config().get(TrainSetting.byKey(key, TrainSetting.Use.YAML));
            v.put(key, value == null ? "embedded" : value); // only data is ever null: the embedded data set
        }
        return v;
    }

    /** Dense fp32 uplink (4 bytes x parameters x workers x steps) over the measured uplink; null if unknown. */
    static Double compressionRatio(RunOutcome o) {
        Object params = o.summary().get("parameters");
        Object steps = o.summary().get("steps");
        Object up = o.summary().get("uplink_bytes");
        if (params instanceof Number p && steps instanceof Number s && up instanceof Number u && u.longValue() > 0) {
            return 4.0 * p.longValue() * o.run().config().workers() * s.longValue() / u.doubleValue();
        }
        return null;
    }

    private static void writeResults(Experiment e, List<RunOutcome> done, String started) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Experiment ").append(e.name()).append("\n\n");
        if (!e.description().isEmpty()) {
            md.append(e.description().strip()).append("\n\n");
        }
        md.append("File `").append(e.file()).append("`, started ").append(started).append(", ")
                .append(done.size()).append(" of ").append(e.runs().size()).append(" runs finished.\n\n");
        List<String> base = new ArrayList<>();
        e.base().forEach((k, v) -> base.add(k + "=" + TrainSetting.display(v)));
        md.append("Base: ").append(base.isEmpty() ? "lamina train defaults" : "`" + String.join("`, `", base) + "`")
                .append(".\n\n");

        List<String> header = new ArrayList<>();
        header.add("run");
        header.addAll(e.columns());
        header.addAll(List.of("status", "test acc %", "test loss", "steps", "samples/s", "uplink MB", "downlink MB",
                "compression", "wall s"));
        md.append("| ").append(String.join(" | ", header)).append(" |\n");
        md.append("|").append(" --- |".repeat(header.size())).append('\n');
        for (ExperimentRun r : e.runs()) {
            RunOutcome o = r.index() < done.size() ? done.get(r.index()) : null;
            Map<String, Object> s = o == null ? Map.of() : o.summary();
            List<String> row = new ArrayList<>();
            row.add(String.valueOf(r.index() + 1));
            values(e, r).values().forEach(v -> row.add("`" + TrainSetting.display(v) + "`"));
            row.add(o == null ? "pending" : o.status());
            row.add(fmt(s.get("test_accuracy"), 100, "%.2f"));
            row.add(fmt(s.get("test_loss"), 1, "%.4f"));
            row.add(fmt(s.get("steps"), 1, "%.0f"));
            row.add(fmt(s.get("samples_per_second"), 1, "%.0f"));
            row.add(fmt(s.get("uplink_bytes"), 1e-6, "%.2f"));
            row.add(fmt(s.get("downlink_bytes"), 1e-6, "%.2f"));
            Double ratio = o == null ? null : compressionRatio(o);
            row.add(ratio == null ? "" : String.format(Locale.ROOT, "%.1fx", ratio));
            row.add(fmt(s.get("wall_seconds"), 1, "%.1f"));
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append("\nTest accuracy and loss after the last step; samples/s over the training steps; uplink = bytes "
                + "the workers sent (measured sizes of the shipped bytes), downlink = aggregate bytes x receiving workers; "
                + "compression = dense fp32 uplink / measured uplink. Per-run folders hold metrics.jsonl, "
                + "summary.json and model.zip; experiment.jsonl holds one line per run.\n");
        Path tmp = e.output().resolve("results.md.tmp");
        Files.writeString(tmp, md.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, e.output().resolve("results.md"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static String fmt(Object v, double scale, String format) {
        return v instanceof Number n ? String.format(Locale.ROOT, format, n.doubleValue() * scale) : "";
    }
}
