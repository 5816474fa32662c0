package io.lamina.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.api.Lamina;
import io.lamina.app.api.Trainer;
import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting.Use;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.experiment.ExperimentLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Walks the {@link TrainSetting} table: every setting is taken by each consumer it names (lamina
 * train's and lamina bench's options, the experiment file's keys, the Java API's {@code set}, the
 * summary's config map), with the same default everywhere and a non-default value arriving intact.
 */
class TrainSettingTableTest {

    /** A valid non-default value per setting; a new setting must add one here. */
    private static final Map<TrainSetting, Object> SAMPLES = Map.ofEntries(
            Map.entry(TrainSetting.MODEL, "mlp"), Map.entry(TrainSetting.MODEL_FILE, "some/model.zip"),
            Map.entry(TrainSetting.DATA, "some/folder"),
            Map.entry(TrainSetting.TRAIN, "some/train.csv"), Map.entry(TrainSetting.TEST, "some/test.csv"),
            Map.entry(TrainSetting.FORMAT, "libsvm"), Map.entry(TrainSetting.LABEL_COLUMN, 3),
            Map.entry(TrainSetting.HEADER, true), Map.entry(TrainSetting.NORMALIZE, "minmax"),
            Map.entry(TrainSetting.CLASSES, 4), Map.entry(TrainSetting.FEATURES, 100),
            Map.entry(TrainSetting.WORKERS, 3), Map.entry(TrainSetting.BATCH, 32), Map.entry(TrainSetting.EPOCHS, 2),
            Map.entry(TrainSetting.STEPS, 7L), Map.entry(TrainSetting.OPTIMIZER, "sgd"),
            Map.entry(TrainSetting.LR, 0.01), Map.entry(TrainSetting.MOMENTUM, 0.5),
            Map.entry(TrainSetting.WARMUP_STEPS, 3), Map.entry(TrainSetting.LR_SCHEDULE, "linear"),
            Map.entry(TrainSetting.OPTIMIZER_ON, "workers"), Map.entry(TrainSetting.SEED, 7L),
            Map.entry(TrainSetting.EVAL_EVERY, 5), Map.entry(TrainSetting.THEORY_EVERY, 4),
            Map.entry(TrainSetting.CHECKSUM_EVERY, 9),
            Map.entry(TrainSetting.COMPRESSOR, "topk:0.01"), Map.entry(TrainSetting.MEMORY, "residual"),
            Map.entry(TrainSetting.GRANULARITY, "model"), Map.entry(TrainSetting.TREE_DEPTH, 3),
            Map.entry(TrainSetting.OUTPUT, "runs/elsewhere"), Map.entry(TrainSetting.CHECKPOINT_EVERY, 6),
            Map.entry(TrainSetting.KEEP_CHECKPOINTS, 3), Map.entry(TrainSetting.MASTER, "local[3]"),
            Map.entry(TrainSetting.PROGRESS_SECONDS, 1.5));

    /** summary.json's config keys as users and tests have always read them (optimizer_on_resolved: auto's result). */
    private static final List<String> SUMMARY_KEYS = List.of("model", "model_file", "data", "train", "test", "format",
            "label_column", "header", "normalize", "classes", "features", "workers", "batch_per_worker", "epochs",
            "steps", "optimizer", "learning_rate", "momentum", "warmup_steps", "lr_schedule", "optimizer_on", "optimizer_on_resolved", "seed",
            "eval_every", "theory_every", "checksum_every", "compressor", "memory", "granularity", "tree_depth", "output", "checkpoint_every", "keep_checkpoints", "master");

    private static TrainConfig train(String... args) {
        TrainCommand cmd = new TrainCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.toConfig();
    }

    private static Map<TrainSetting, Object> bench(String... args) {
        BenchCommand cmd = new BenchCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.settings();
    }

    /** The single run of an experiment file with this grid. */
    private static TrainConfig yaml(String key, Object value) {
        String v = value instanceof String ? "'" + value + "'" : String.valueOf(value);
        return ExperimentLoader.parse("grid: {" + key + ": [" + v + "]}\n", Path.of("table.yaml"), "out")
                .runs().get(0).config();
    }

    private static String trainHelp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CommandLine(new TrainCommand()).usage(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).replaceAll("\\s", ""); // no line wrapping
    }

    @Test
    void everySettingHasASample() {
        assertEquals(EnumSet.allOf(TrainSetting.class), EnumSet.copyOf(SAMPLES.keySet()));
    }

    @Test
    void theTableSaysWhereEachSettingApplies() {
        assertEquals(Set.of("output", "master", "progress-seconds"), keysWithout(Use.YAML));
        assertEquals(Set.of("progress-seconds"), keysWithout(Use.TRAIN_CLI));
        assertEquals(Set.of("progress-seconds"), keysWithout(Use.SUMMARY));
        assertEquals(Set.of(), keysWithout(Use.API));
        assertEquals(List.of("model", "workers", "batch", "optimizer-on"), TrainSetting.keys(Use.BENCH_CLI));
    }

    private static Set<String> keysWithout(Use use) {
        return Arrays.stream(TrainSetting.values()).filter(s -> !s.appliesTo(use)).map(TrainSetting::key)
                .collect(Collectors.toSet());
    }

    @Test
    void everyConsumerHasTheTablesDefaults() {
        TrainConfig cli = train();
        Map<TrainSetting, Object> benchDefaults = bench();
        TrainConfig yaml = yaml("seed", 42);
        TrainConfig api = Lamina.trainer().config();
        Map<String, Object> summary = TrainConfig.defaults().toMap();
        String help = trainHelp();
        for (TrainSetting s : TrainSetting.values()) {
            Object def = s.defaultValue();
            String what = s.key();
            assertEquals(def, TrainConfig.defaults().get(s), what);
            assertEquals(def, api.get(s), what + " (Java API)");
            if (s.appliesTo(Use.TRAIN_CLI)) {
                assertEquals(def, cli.get(s), what + " (lamina train)");
                String option = s.type() == TrainSetting.Type.BOOL ? "--" + s.key() + "[=<" + s.key() + ">]" // a flag
                        : "--" + s.key() + "=<" + s.key() + ">";
                assertTrue(help.contains(option), what + " missing from --help: " + help);
                if (def != null) {
                    String line = (s.help() + " (default: " + def + ")").replaceAll("\\s", "");
                    assertTrue(help.contains(line), what + "'s default in --help: " + help);
                }
            }
            if (s.appliesTo(Use.BENCH_CLI)) {
                assertEquals(def, benchDefaults.get(s), what + " (lamina bench)");
            }
            if (s.appliesTo(Use.YAML)) {
                assertEquals(def, yaml.get(s), what + " (experiment file)");
            }
            if (s.appliesTo(Use.SUMMARY)) {
                Object expected = s == TrainSetting.DATA ? "embedded:fashion-mnist-subset" : def;
                assertEquals(expected, summary.get(s.summaryKey()), what + " (summary)");
            }
        }
        assertEquals(SUMMARY_KEYS, List.copyOf(summary.keySet()));
    }

    @Test
    void everyConsumerAcceptsEverySettingItTakes() throws Exception {
        for (TrainSetting s : TrainSetting.values()) {
            Object v = SAMPLES.get(s);
            String what = s.key() + " = " + v;
            assertEquals(v, Lamina.trainer().set(s.key(), v).config().get(s), what + " (Java API set by key)");
            assertEquals(v, Lamina.trainer().set(s, String.valueOf(v)).config().get(s), what + " (Java API, as text)");
            // the named setter the table points to exists (its name is in error messages)
            Class<?> param = s.type() == TrainSetting.Type.TEXT ? String.class
                    : s.type() == TrainSetting.Type.INT ? int.class
                    : s.type() == TrainSetting.Type.LONG ? long.class
                    : s.type() == TrainSetting.Type.BOOL ? boolean.class : double.class;
            assertNotNull(Trainer.class.getMethod(s.apiName(), param), what + ": Trainer." + s.apiName());
            if (s.appliesTo(Use.TRAIN_CLI)) {
                assertEquals(v, train("--" + s.key(), String.valueOf(v)).get(s), what + " (lamina train)");
            }
            if (s.appliesTo(Use.BENCH_CLI)) {
                assertEquals(v, bench("--" + s.key(), String.valueOf(v)).get(s), what + " (lamina bench)");
            }
            if (s.appliesTo(Use.YAML)) {
                assertEquals(v, yaml(s.key(), v).get(s), what + " (experiment file)");
                assertEquals(v, yaml(s.key().replace('-', '_'), v).get(s), what + " (experiment file, underscores)");
            }
            if (s.appliesTo(Use.SUMMARY)) {
                assertEquals(v, TrainConfig.defaults().with(s, v).toMap().get(s.summaryKey()), what + " (summary)");
            }
        }
    }

    @Test
    void aFlagIsTrueAloneAndTakesAnExplicitValue() {
        assertEquals(true, train("--header").get(TrainSetting.HEADER));
        assertEquals(false, train("--header=false").get(TrainSetting.HEADER));
        assertEquals(false, train().get(TrainSetting.HEADER));
        assertThrows(IllegalArgumentException.class, () -> Lamina.trainer().set("header", "maybe"));
    }

    @Test
    void theJavaApiNamesItsSetterWhateverTheWayTheSettingCameIn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Lamina.trainer().set("batch", 0));
        assertTrue(e.getMessage().startsWith("batchPerWorker(0): batch must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Lamina.trainer().set("learning-rate", 0.1));
        assertTrue(e.getMessage().contains("unknown setting") && e.getMessage().contains("lr-schedule"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Lamina.trainer().set(TrainSetting.WORKERS, "two"));
        assertTrue(e.getMessage().startsWith("workers(\"two\"): must be an integer"), e.getMessage());
    }

    @Test
    void configurationsAreValuesAndCopiesLeaveTheOriginalAlone() {
        TrainConfig d = TrainConfig.defaults();
        TrainConfig changed = d.with(TrainSetting.WORKERS, 4);
        assertEquals(2, d.workers());
        assertEquals(4, changed.workers());
        assertEquals(d, changed.with(TrainSetting.WORKERS, 2));
        assertEquals(d.with(TrainSetting.MODEL, "MLP"), d.with(TrainSetting.MODEL, "mlp"), "names are canonical");
        assertEquals("mlp", d.with(TrainSetting.MODEL, "MLP").toMap().get("model"));
    }
}
