package io.lamina.app.config;

import io.lamina.app.model.ModelKind;
import io.lamina.compression.granularity.Granularity;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.method.Memories;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The table of training settings: each setting is declared here once, and {@code lamina train}'s
 * and {@code lamina bench}'s options, the experiment files' keys, the Java API's setters and
 * {@code summary.json}'s {@code config} map are all generated from it.
 *
 * <p>A setting's {@link #key() key} is the CLI option without its dashes ({@code --warmup-steps}) and
 * the YAML key ({@code warmup_steps} is accepted too). Its value is a plain {@link Type}: an
 * {@code Integer}, {@code Long}, {@code Double} or {@code String} (the model is {@code "lenet"},
 * not {@code ModelKind.LENET}); {@link TrainConfig} turns the text ones into their objects.
 * Row order is the order of {@code --help} and of {@code summary.json}.
 */
public enum TrainSetting {
    MODEL(row("model", Type.TEXT, "lenet").bench().parsedBy(ModelKind::parse)
            .help(ModelKind.allowed()).allowed(ModelKind.allowed())),
    MODEL_FILE(row("model-file", Type.TEXT, null)
            .help("Your own model instead of --model: a DL4J MultiLayerConfiguration or ComputationGraphConfiguration "
                    + "JSON, or a ModelSerializer zip (training resumes from its weights and updater state); "
                    + "its own updater is the optimizer")
            .allowed("a DL4J configuration JSON or ModelSerializer zip (default: the built-in --model)")),
    DATA(row("data", Type.TEXT, null)
            .help("Folder or Hadoop URI (file://, hdfs://, s3a://) with the four IDX files "
                    + "(train-images-idx3-ubyte[.gz], ...); default: the embedded Fashion-MNIST subset")
            .allowed("a folder or Hadoop URI with the four IDX files (default: the embedded subset)")),
    TRAIN(row("train", Type.TEXT, null)
            .help("CSV or LibSVM training file or folder, any Hadoop URI (file://, hdfs://, s3a://); with --test, "
                    + "instead of --data; read by the executors")
            .allowed("a CSV or LibSVM file or folder (local path or Hadoop URI)")),
    TEST(row("test", Type.TEXT, null).help("CSV or LibSVM test file or folder; with --train")
            .allowed("a CSV or LibSVM file or folder (local path or Hadoop URI)")),
    FORMAT(row("format", Type.TEXT, "auto").parsedBy(TrainSetting::checkFormat)
            .help("Format of --train/--test: csv, libsvm, or auto (from the extension: .csv, .libsvm, .svm)")
            .allowed("auto, csv, libsvm")),
    LABEL_COLUMN(row("label-column", Type.INT, 0).atLeast(0).help("CSV: the label's column, 0-based")),
    HEADER(row("header", Type.BOOL, false).help("CSV: the first line of each file is a header")),
    NORMALIZE(row("normalize", Type.TEXT, "auto").parsedBy(TrainSetting::checkNormalize)
            .help("Per-feature scaling from the training set, stored as normalizer.json beside the model: standard, "
                    + "minmax, none, or auto (standard for CSV, LibSVM and Dataset rows; none for IDX, which are "
                    + "scaled /255, and in-memory data)")
            .allowed("auto, standard, minmax, none")),
    CLASSES(row("classes", Type.INT, 0).atLeast(0)
            .help("Classes C, labels 0..C-1 (0: largest label + 1 for CSV/LibSVM, 10 for IDX)")
            .allowed("an integer >= 0 (0 = from the data)")),
    FEATURES(row("features", Type.INT, 0).atLeast(0).help("LibSVM: number of features (0: largest index + 1)")
            .allowed("an integer >= 0 (0 = from the data)")),
    WORKERS(row("workers", Type.INT, 2).bench().atLeast(1).help("Data-parallel workers = partitions")),
    BATCH(row("batch", Type.INT, 64).bench().atLeast(1).summaryKey("batch_per_worker").apiName("batchPerWorker")
            .help("Examples per worker per step").allowed("an integer >= 1 (examples per worker per step)")),
    // no range of its own: epochs 0 is fine when steps is set (TrainConfig.validate checks the pair)
    EPOCHS(row("epochs", Type.INT, 5).help("Epochs").allowed("an integer >= 1")),
    STEPS(row("steps", Type.LONG, 0L).atLeast(0).help("Total steps; overrides --epochs when > 0")
            .allowed("an integer >= 0 (0 = use epochs)")),
    // the optimizer's five parts are checked by OptimizerSpec when TrainConfig builds it
    OPTIMIZER(row("optimizer", Type.TEXT, "adam").help(OptimizerSpec.ALLOWED).allowed(OptimizerSpec.ALLOWED)),
    LR(row("lr", Type.DOUBLE, 2e-3).summaryKey("learning_rate").apiName("learningRate").help("Learning rate")
            .allowed("a number > 0")),
    MOMENTUM(row("momentum", Type.DOUBLE, 0.9).help("Momentum for nesterov").allowed("a number in [0, 1)")),
    WARMUP_STEPS(row("warmup-steps", Type.INT, 0).apiName("warmup").help("Linear learning-rate warm-up steps")
            .allowed("an integer >= 0")),
    LR_SCHEDULE(row("lr-schedule", Type.TEXT, "constant").apiName("schedule").help(OptimizerSpec.ALLOWED_SCHEDULES)
            .allowed(OptimizerSpec.ALLOWED_SCHEDULES)),
    OPTIMIZER_ON(row("optimizer-on", Type.TEXT, "auto").bench()
            .help("Where the optimizer runs: master (on the averaged gradient), workers (each worker's update is "
                    + "compressed with error feedback; DGC's momentum correction for any optimizer) or auto (workers "
                    + "for a biased sparsifier with error feedback, else master)")
            .allowed(OptimizerOn.allowed())),
    SEED(row("seed", Type.LONG, 42L).help("Seed for weights, partitioning and minibatches")),
    EVAL_EVERY(row("eval-every", Type.INT, 0).atLeast(0).help("Evaluate every N steps (0: at the end only)")
            .allowed("an integer >= 0 (0 = at the end only)")),
    THEORY_EVERY(row("theory-every", Type.INT, 10).atLeast(0)
            .help("Measure the compression error and the empirical Omega of every segment every N steps (0: never)")
            .allowed("an integer >= 0 (0 = never)")),
    CHECKSUM_EVERY(row("checksum-every", Type.INT, 50).atLeast(0)
            .help("Check replicas against the master every N steps (0: never)").allowed("an integer >= 0 (0 = never)")),
    COMPRESSOR(row("compressor", Type.TEXT, "none").parsedBy(Compressors::parse)
            .help("Gradient compressor name[:params]; thresholds and value ranges (threshold:v, adaptive-tau,"
                    + " fp16) are in units of the mean gradient over a worker's batch, or of the update with the"
                    + " optimizer on the workers")
            .allowed("name[:params], e.g. none, topk:0.01, qsgd:s=256, terngrad, signsgd")),
    MEMORY(row("memory", Type.TEXT, "none").parsedBy(Memories::parse).help("Compression memory name[:params]")
            .allowed("none, residual, efsign, dgc (name[:params])")),
    GRANULARITY(row("granularity", Type.TEXT, "layer").parsedBy(Granularity::parse)
            .help("layer, model, bucket:<elements>").allowed("layer, model, bucket:<elements>")),
    TREE_DEPTH(row("tree-depth", Type.INT, 2).atLeast(1)
            .help("Levels of the merge tree over the workers' results (1: the driver sums them all)")),
    // An experiment names each run's folder and picks the master itself, so these two are not YAML keys.
    OUTPUT(row("output", Type.TEXT, "runs/latest").notIn(Use.YAML)
            .help("Output folder: a local path or a Hadoop URI (hdfs://..., s3a://... with hadoop-aws)")),
    CHECKPOINT_EVERY(row("checkpoint-every", Type.INT, 0).atLeast(0)
            .help("Write a checkpoint every N steps to <output>/checkpoints, for --resume (0: never)")
            .allowed("an integer >= 0 (0 = never)")),
    KEEP_CHECKPOINTS(row("keep-checkpoints", Type.INT, 2).atLeast(1).help("How many of the newest checkpoints to keep")),
    MASTER(row("master", Type.TEXT, null).notIn(Use.YAML)
            .help("Spark master when not launched by spark-submit (default: local[<workers>])")),
    PROGRESS_SECONDS(row("progress-seconds", Type.DOUBLE, 2.0).onlyIn(Use.API).above(0).apiName("progressEvery")
            .help("Seconds between progress lines"));

    /** {@code --format}'s values. */
    public static final String FORMATS = "auto, csv, libsvm";
    /** {@code --normalize}'s values. */
    public static final String NORMALIZE_METHODS = "auto, standard, minmax, none";

    private static void checkFormat(String v) {
        if (!List.of("auto", "csv", "libsvm").contains(v.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("unknown --format '" + v + "'; allowed: " + FORMATS);
        }
    }

    private static void checkNormalize(String v) {
        if (!List.of("auto", "standard", "minmax", "none").contains(v.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("unknown --normalize '" + v + "'; allowed: " + NORMALIZE_METHODS);
        }
    }

    /** Where a setting can be given or appears. */
    public enum Use {
        /** An option of {@code lamina train}. */
        TRAIN_CLI,
        /** An option of {@code lamina bench}. */
        BENCH_CLI,
        /** A key of an experiment file's {@code base:}, {@code grid:} and {@code include:}. */
        YAML,
        /** A setter of the Java API's {@code Trainer}. */
        API,
        /** A key of {@code summary.json}'s {@code config} map. */
        SUMMARY
    }

    /** The Java type of a setting's value. */
    public enum Type {
        INT(Integer.class, "an integer"), LONG(Long.class, "an integer"), DOUBLE(Double.class, "a number"),
        TEXT(String.class, "a string"), BOOL(Boolean.class, "true or false");

        private final Class<?> javaType;
        private final String description;

        Type(Class<?> javaType, String description) {
            this.javaType = javaType;
            this.description = description;
        }

        public Class<?> javaType() {
            return javaType;
        }
    }

    private final String key;
    private final Type type;
    private final Object defaultValue;
    private final Set<Use> uses;
    private final String summaryKey;
    private final String apiName;
    private final String help;
    private final String allowed;
    private final Number min;
    private final boolean minExclusive;
    private final Consumer<String> parser;

    TrainSetting(Row r) {
        this.key = r.key;
        this.type = r.type;
        this.defaultValue = r.defaultValue;
        this.uses = Set.copyOf(r.uses);
        this.summaryKey = r.summaryKey != null ? r.summaryKey : r.key.replace('-', '_');
        this.apiName = r.apiName != null ? r.apiName : camelCase(r.key);
        this.help = r.help;
        this.allowed = r.allowed != null ? r.allowed
                : r.type.description + (r.min == null ? "" : (r.minExclusive ? " > " : " >= ") + r.min);
        this.min = r.min;
        this.minExclusive = r.minExclusive;
        this.parser = r.parser;
    }

    /** The CLI option without its dashes and the YAML key, e.g. {@code warmup-steps}. */
    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    /** The default value (null for {@code data} and {@code master}: the embedded data, a local master). */
    public Object defaultValue() {
        return defaultValue;
    }

    public boolean appliesTo(Use use) {
        return uses.contains(use);
    }

    /** The key in {@code summary.json}'s {@code config}, e.g. {@code batch_per_worker}. */
    public String summaryKey() {
        return summaryKey;
    }

    /** The Java API's setter, e.g. {@code batchPerWorker}: error messages name it. */
    public String apiName() {
        return apiName;
    }

    /** One line for {@code --help}, without the default. */
    public String help() {
        return help;
    }

    /** What values are allowed, for error messages. */
    public String allowed() {
        return allowed;
    }

    /** The setting for a key ({@code _} and {@code -} are interchangeable, case does not matter) if it has this use. */
    public static TrainSetting byKey(String key, Use use) {
        String k = key.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(s -> s.key.equals(k) && s.appliesTo(use)).findFirst().orElse(null);
    }

    /** The keys of the settings with this use, in table order. */
    public static List<String> keys(Use use) {
        return Arrays.stream(values()).filter(s -> s.appliesTo(use)).map(TrainSetting::key).toList();
    }

    /** The keys with this use, for "allowed:" lists. */
    public static String allowedKeys(Use use) {
        return String.join(", ", keys(use));
    }

    /**
     * The value converted to this setting's type: integers from integers (or integer strings),
     * numbers from numbers or numeric strings ({@code 1e-3} is a string in YAML 1.1), text from
     * non-blank strings (trimmed); null only where the default is null.
     *
     * @throws IllegalArgumentException saying what was expected and what was found
     */
    public Object coerce(Object raw) {
        if (raw == null && defaultValue == null) {
            return null;
        }
        switch (type) {
            case INT:
            case LONG: {
                BigInteger v = null;
                if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte
                        || raw instanceof BigInteger) {
                    v = new BigInteger(raw.toString());
                } else if (raw instanceof String s && s.trim().matches("[-+]?[0-9][0-9_]*")) {
                    v = new BigInteger(s.trim().replace("_", ""));
                }
                if (v == null) {
                    throw new IllegalArgumentException("must be " + type.description + ", got " + describe(raw));
                }
                BigInteger lo = BigInteger.valueOf(type == Type.INT ? Integer.MIN_VALUE : Long.MIN_VALUE);
                BigInteger hi = BigInteger.valueOf(type == Type.INT ? Integer.MAX_VALUE : Long.MAX_VALUE);
                if (v.compareTo(lo) < 0 || v.compareTo(hi) > 0) {
                    throw new IllegalArgumentException("must be " + type.description + " in [" + lo + ", " + hi
                            + "], got " + v);
                }
                return type == Type.INT ? (Object) v.intValue() : (Object) v.longValue();
            }
            case BOOL: {
                if (raw instanceof Boolean b) {
                    return b;
                }
                if (raw instanceof String s && (s.trim().equalsIgnoreCase("true") || s.trim().equalsIgnoreCase("false"))) {
                    return Boolean.parseBoolean(s.trim());
                }
                throw new IllegalArgumentException("must be true or false, got " + describe(raw));
            }
            case DOUBLE: {
                if (raw instanceof Number n) {
                    return n.doubleValue();
                }
                if (raw instanceof String s) {
                    try {
                        return Double.parseDouble(s.trim());
                    } catch (NumberFormatException e) {
                        // fall through to the error below
                    }
                }
                throw new IllegalArgumentException("must be " + type.description + ", got " + describe(raw));
            }
            default: {
                if (raw instanceof String s && !s.isBlank()) {
                    return s.trim();
                }
                if (raw instanceof Boolean) {
                    throw new IllegalArgumentException("must be a string, got boolean " + raw
                            + " (YAML reads yes/no/on/off/true/false as booleans: quote the value)");
                }
                throw new IllegalArgumentException("must be a string (" + allowed + "), got " + describe(raw));
            }
        }
    }

    /**
     * Checks a value of this setting's type on its own, every other setting at its default: its
     * range, and that its text parses. Combinations (compressor and memory, epochs and steps) are
     * left to {@link TrainConfig#validate()}.
     *
     * @throws IllegalArgumentException in {@code --key} terms, like {@link TrainConfig#validate()}
     */
    public void checkAlone(Object value) {
        if (value == null) {
            return;
        }
        if (min != null) {
            double v = ((Number) value).doubleValue();
            if (minExclusive ? !(v > min.doubleValue()) : !(v >= min.doubleValue())) {
                throw new IllegalArgumentException("--" + key + " must be " + (minExclusive ? "> " : ">= ") + min
                        + ", got " + value);
            }
        }
        if (parser != null) {
            parser.accept((String) value);
        }
        TrainConfig.defaults().with(this, value); // builds the model kind, the optimizer and its placement
    }

    /** A value as it should read in folder names, tables and messages: 0.001, not 1.0E-3. */
    public static String display(Object value) {
        if (value instanceof Double d) {
            return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : d.toString();
        }
        return String.valueOf(value);
    }

    /** A raw value (from YAML or the API) and its type, for error messages. */
    public static String describe(Object raw) {
        if (raw == null) {
            return "nothing (an empty value)";
        }
        if (raw instanceof String s) {
            return "'" + s + "' (a string)";
        }
        if (raw instanceof Boolean) {
            return raw + " (a boolean)";
        }
        if (raw instanceof Integer || raw instanceof Long || raw instanceof BigInteger) {
            return raw + " (an integer)";
        }
        if (raw instanceof Number n) {
            return display(n.doubleValue()) + " (a number)";
        }
        if (raw instanceof List) {
            return "a list " + raw;
        }
        if (raw instanceof Map) {
            return "a map " + raw;
        }
        return raw + " (" + raw.getClass().getSimpleName() + ")";
    }

    private static String camelCase(String key) {
        String[] parts = key.split("-");
        return parts[0] + Arrays.stream(parts).skip(1)
                .map(p -> Character.toUpperCase(p.charAt(0)) + p.substring(1)).collect(Collectors.joining());
    }

    private static Row row(String key, Type type, Object defaultValue) {
        return new Row(key, type, defaultValue);
    }

    /** One row of the table while it is declared; unset columns get the defaults the constructor derives. */
    private static final class Row {
        final String key;
        final Type type;
        final Object defaultValue;
        final Set<Use> uses = EnumSet.of(Use.TRAIN_CLI, Use.YAML, Use.API, Use.SUMMARY);
        String summaryKey;
        String apiName;
        String help;
        String allowed;
        Number min;
        boolean minExclusive;
        Consumer<String> parser;

        Row(String key, Type type, Object defaultValue) {
            this.key = key;
            this.type = type;
            this.defaultValue = defaultValue;
        }

        Row bench() {
            uses.add(Use.BENCH_CLI);
            return this;
        }

        Row notIn(Use use) {
            uses.remove(use);
            return this;
        }

        Row onlyIn(Use use) {
            uses.retainAll(Set.of(use));
            return this;
        }

        Row summaryKey(String k) {
            summaryKey = k;
            return this;
        }

        Row apiName(String n) {
            apiName = n;
            return this;
        }

        Row help(String h) {
            help = h;
            return this;
        }

        Row allowed(String a) {
            allowed = a;
            return this;
        }

        Row atLeast(long m) {
            min = m;
            return this;
        }

        Row above(double m) {
            min = m;
            minExclusive = true;
            return this;
        }

        Row parsedBy(Consumer<String> p) {
            parser = p;
            return this;
        }
    }
}
