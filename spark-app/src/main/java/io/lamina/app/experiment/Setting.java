package io.lamina.app.experiment;

import io.lamina.app.engine.OptimizerPlacement;
import io.lamina.app.engine.OptimizerSpec;
import io.lamina.app.engine.TrainConfig;
import io.lamina.app.model.ModelKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A training setting an experiment file may set in {@code base:}, {@code grid:} or {@code include:}:
 * the options of {@code lamina train} without the leading dashes ({@code --warmup-steps} is
 * {@code warmup-steps}; {@code warmup_steps} is accepted too). {@code output} and {@code master}
 * are not settings: the experiment gives each run its folder, and {@code lamina experiment --master}
 * picks the cluster.
 */
public enum Setting {
    MODEL("model", Type.STRING, ModelKind.allowed()),
    DATA("data", Type.STRING, "a folder or Hadoop URI with the four IDX files (default: the embedded subset)"),
    WORKERS("workers", Type.INT, "an integer >= 1"),
    BATCH("batch", Type.INT, "an integer >= 1 (examples per worker per step)"),
    EPOCHS("epochs", Type.INT, "an integer >= 1"),
    STEPS("steps", Type.LONG, "an integer >= 0 (0 = use epochs)"),
    OPTIMIZER("optimizer", Type.STRING, OptimizerSpec.ALLOWED),
    LR("lr", Type.DOUBLE, "a number > 0"),
    MOMENTUM("momentum", Type.DOUBLE, "a number in [0, 1)"),
    OPTIMIZER_ON("optimizer-on", Type.STRING, OptimizerPlacement.allowed()),
    WARMUP_STEPS("warmup-steps", Type.INT, "an integer >= 0"),
    LR_SCHEDULE("lr-schedule", Type.STRING, OptimizerSpec.ALLOWED_SCHEDULES),
    SEED("seed", Type.LONG, "an integer"),
    EVAL_EVERY("eval-every", Type.INT, "an integer >= 0 (0 = at the end only)"),
    CHECKSUM_EVERY("checksum-every", Type.INT, "an integer >= 0 (0 = never)"),
    COMPRESSOR("compressor", Type.STRING, "name[:params], e.g. none, topk:0.01, qsgd:s=256, terngrad, signsgd"),
    MEMORY("memory", Type.STRING, "none, residual, efsign, dgc (name[:params])"),
    GRANULARITY("granularity", Type.STRING, "layer, model, bucket:<elements>"),
    TREE_DEPTH("tree-depth", Type.INT, "an integer >= 1");

    /** The Java type a value is coerced to. */
    enum Type {
        INT("an integer"), LONG("an integer"), DOUBLE("a number"), STRING("a string");

        final String description;

        Type(String description) {
            this.description = description;
        }
    }

    private final String key;
    private final Type type;
    private final String allowed;

    Setting(String key, Type type, String allowed) {
        this.key = key;
        this.type = type;
        this.allowed = allowed;
    }

    /** The key as written in experiment files, e.g. {@code warmup-steps}. */
    public String key() {
        return key;
    }

    /** What values are allowed, for error messages. */
    public String allowed() {
        return allowed;
    }

    Type type() {
        return type;
    }

    /** The setting for a key ({@code _} and {@code -} are interchangeable), or null. */
    public static Setting byKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Setting s : values()) {
            if (s.key.equals(k)) {
                return s;
            }
        }
        return null;
    }

    /** All keys, in declaration order. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(Setting::key).toList();
    }

    /** All keys, in declaration order, for "allowed:" lists. */
    public static String allowedKeys() {
        return Arrays.stream(values()).map(Setting::key).collect(Collectors.joining(", "));
    }

    /**
     * The value converted to this setting's type: integers from YAML integers (or integer strings),
     * numbers from YAML numbers or numeric strings ({@code 1e-3} is a string in YAML 1.1), strings
     * from YAML strings.
     *
     * @throws IllegalArgumentException saying what was expected and what was found
     */
    Object coerce(Object raw) {
        switch (type) {
            case INT:
            case LONG: {
                BigInteger v = null;
                if (raw instanceof Integer || raw instanceof Long || raw instanceof BigInteger) {
                    v = new BigInteger(raw.toString());
                } else if (raw instanceof String s && s.trim().matches("[-+]?[0-9][0-9_]*")) {
                    v = new BigInteger(s.trim().replace("_", ""));
                }
                if (v == null) {
                    throw new IllegalArgumentException("must be " + type.description + ", got " + describe(raw));
                }
                BigInteger min = BigInteger.valueOf(type == Type.INT ? Integer.MIN_VALUE : Long.MIN_VALUE);
                BigInteger max = BigInteger.valueOf(type == Type.INT ? Integer.MAX_VALUE : Long.MAX_VALUE);
                if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
                    throw new IllegalArgumentException("must be " + type.description + " in [" + min + ", " + max
                            + "], got " + v);
                }
                return type == Type.INT ? (Object) v.intValue() : (Object) v.longValue();
            }
            case DOUBLE: {
                if (raw instanceof Number n && !(raw instanceof BigInteger)) {
                    return n.doubleValue();
                }
                if (raw instanceof BigInteger b) {
                    return b.doubleValue();
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

    /** A value as it should read in folder names, tables and JSON: 0.001, not 1.0E-3. */
    static String display(Object value) {
        if (value instanceof Double d) {
            return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : d.toString();
        }
        return String.valueOf(value);
    }

    /** The YAML value and its type, for error messages. */
    static String describe(Object raw) {
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
        if (raw instanceof Number) {
            return display(((Number) raw).doubleValue()) + " (a number)";
        }
        if (raw instanceof List) {
            return "a list " + raw;
        }
        if (raw instanceof Map) {
            return "a map " + raw;
        }
        return raw + " (" + raw.getClass().getSimpleName() + ")";
    }

    /**
     * A {@link TrainConfig} from {@code lamina train}'s defaults and these (coerced) values.
     * Not yet validated; the optimizer parts are checked here.
     */
    static TrainConfig toConfig(Map<Setting, Object> values) {
        TrainConfig c = new TrainConfig();
        OptimizerSpec o = c.optimizer;
        String optimizer = o.name();
        double lr = o.learningRate();
        double momentum = o.momentum();
        int warmup = o.warmupSteps();
        String schedule = o.schedule();
        for (Map.Entry<Setting, Object> e : values.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case MODEL -> c.model = ModelKind.parse((String) v);
                case DATA -> c.data = (String) v;
                case WORKERS -> c.workers = (Integer) v;
                case BATCH -> c.batchPerWorker = (Integer) v;
                case EPOCHS -> c.epochs = (Integer) v;
                case STEPS -> c.steps = (Long) v;
                case OPTIMIZER -> optimizer = (String) v;
                case LR -> lr = (Double) v;
                case MOMENTUM -> momentum = (Double) v;
                case OPTIMIZER_ON -> c.optimizerOn = OptimizerPlacement.parse((String) v);
                case WARMUP_STEPS -> warmup = (Integer) v;
                case LR_SCHEDULE -> schedule = (String) v;
                case SEED -> c.seed = (Long) v;
                case EVAL_EVERY -> c.evalEvery = (Integer) v;
                case CHECKSUM_EVERY -> c.checksumEvery = (Integer) v;
                case COMPRESSOR -> c.compressor = (String) v;
                case MEMORY -> c.memory = (String) v;
                case GRANULARITY -> c.granularity = (String) v;
                case TREE_DEPTH -> c.treeDepth = (Integer) v;
                default -> throw new IllegalStateException("unhandled setting " + e.getKey());
            }
        }
        c.optimizer = OptimizerSpec.parse(optimizer, lr, momentum, warmup, schedule);
        return c;
    }

    /** This setting's effective value in a configuration (for tables: defaults included). */
    Object read(TrainConfig c) {
        return switch (this) {
            case MODEL -> c.model.cliName();
            case DATA -> c.data == null ? "embedded" : c.data;
            case WORKERS -> c.workers;
            case BATCH -> c.batchPerWorker;
            case EPOCHS -> c.epochs;
            case STEPS -> c.steps;
            case OPTIMIZER -> c.optimizer.name();
            case LR -> c.optimizer.learningRate();
            case MOMENTUM -> c.optimizer.momentum();
            case OPTIMIZER_ON -> c.optimizerOn.cliName();
            case WARMUP_STEPS -> c.optimizer.warmupSteps();
            case LR_SCHEDULE -> c.optimizer.schedule();
            case SEED -> c.seed;
            case EVAL_EVERY -> c.evalEvery;
            case CHECKSUM_EVERY -> c.checksumEvery;
            case COMPRESSOR -> c.compressor;
            case MEMORY -> c.memory;
            case GRANULARITY -> c.granularity;
            case TREE_DEPTH -> c.treeDepth;
        };
    }
}
