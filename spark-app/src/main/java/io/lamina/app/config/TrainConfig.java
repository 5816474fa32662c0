package io.lamina.app.config;

import static io.lamina.app.config.TrainSetting.DATA;
import static io.lamina.app.config.TrainSetting.LR;
import static io.lamina.app.config.TrainSetting.LR_SCHEDULE;
import static io.lamina.app.config.TrainSetting.MODEL;
import static io.lamina.app.config.TrainSetting.MOMENTUM;
import static io.lamina.app.config.TrainSetting.OPTIMIZER;
import static io.lamina.app.config.TrainSetting.OPTIMIZER_ON;
import static io.lamina.app.config.TrainSetting.WARMUP_STEPS;

import io.lamina.app.model.ModelKind;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.MemorySpec;
import io.lamina.compression.granularity.Granularity;
import io.lamina.compression.method.Compatibility;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.method.Memories;
import io.lamina.compression.method.Payload;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that defines a training run: one value per {@link TrainSetting}. Immutable: start
 * from {@link #defaults()} and derive copies with {@link #with(TrainSetting, Object)}. A copy with
 * an unknown model, optimizer (or a bad part of it) or optimizer placement cannot be built;
 * {@link #validate()} checks the rest before Spark starts, with a message that says what was wrong
 * and what is allowed.
 */
public final class TrainConfig implements Serializable {

    private static final long serialVersionUID = 3L;

    /** What summary.json has always said for the embedded data set (data = null). */
    static final String EMBEDDED_DATA = "embedded:fashion-mnist-subset";

    /** summary.json's key for the placement auto resolved to (beside optimizer_on, what was asked). */
    public static final String RESOLVED_PLACEMENT_KEY = "optimizer_on_resolved";

    private static final TrainConfig DEFAULTS = defaultsFromTable();

    private final EnumMap<TrainSetting, Object> values;
    // built from the text settings once, so that a bad name fails when the copy is made
    private final ModelKind model;
    private final OptimizerSpec optimizer;
    private final OptimizerOn optimizerOn;

    private TrainConfig(EnumMap<TrainSetting, Object> values) {
        this.model = ModelKind.parse((String) values.get(MODEL));
        this.optimizer = OptimizerSpec.parse((String) values.get(OPTIMIZER), (Double) values.get(LR),
                (Double) values.get(MOMENTUM), (Integer) values.get(WARMUP_STEPS), (String) values.get(LR_SCHEDULE));
        this.optimizerOn = OptimizerOn.parse((String) values.get(OPTIMIZER_ON));
        // the canonical spellings, so that "LeNet" and "lenet" give equal configurations and summaries
        values.put(MODEL, model.cliName());
        values.put(OPTIMIZER, optimizer.name());
        values.put(OPTIMIZER_ON, optimizerOn.cliName());
        this.values = values;
    }

    private static TrainConfig defaultsFromTable() {
        EnumMap<TrainSetting, Object> v = new EnumMap<>(TrainSetting.class);
        for (TrainSetting s : TrainSetting.values()) {
            v.put(s, s.defaultValue());
        }
        return new TrainConfig(v);
    }

    /** Every setting at its default (the table's). */
    public static TrainConfig defaults() {
        return DEFAULTS;
    }

    /**
     * A copy with one setting changed; the value is converted to the setting's type (an int for a
     * long setting is fine).
     *
     * @throws IllegalArgumentException for a value of the wrong type, an unknown model or
     *         optimizer placement, or an invalid optimizer part
     */
    public TrainConfig with(TrainSetting setting, Object value) {
        EnumMap<TrainSetting, Object> v = new EnumMap<>(values);
        v.put(setting, setting.coerce(value));
        return new TrainConfig(v);
    }

    /** A copy with these settings changed, as {@link #with(TrainSetting, Object)}. */
    public TrainConfig with(Map<TrainSetting, ?> changes) {
        EnumMap<TrainSetting, Object> v = new EnumMap<>(values);
        changes.forEach((s, value) -> v.put(s, s.coerce(value)));
        return new TrainConfig(v);
    }

    /** A setting's value: an Integer, Long, Double, Boolean or String (null for unset data, train, test, master). */
    public Object get(TrainSetting setting) {
        return values.get(setting);
    }

    public ModelKind model() {
        return model;
    }

    /**
     * The user's model ({@code --model-file}): a path, or for a model object given to the Java API
     * a description starting with {@value #API_MODEL}; null = the built-in {@link #model()}.
     */
    public String modelFile() {
        return (String) values.get(TrainSetting.MODEL_FILE);
    }

    /** What {@link #modelFile()} starts with when the Java API was given a model object, not a file. */
    public static final String API_MODEL = "java-api:";

    /** Folder or Hadoop URI with the four IDX files; null = the embedded Fashion-MNIST subset. */
    public String data() {
        return (String) values.get(DATA);
    }

    /** CSV or LibSVM training file or folder; null = --data or the embedded subset. */
    public String train() {
        return (String) values.get(TrainSetting.TRAIN);
    }

    /** CSV or LibSVM test file or folder (with {@link #train()}). */
    public String test() {
        return (String) values.get(TrainSetting.TEST);
    }

    /** auto, csv or libsvm. */
    public String format() {
        return ((String) values.get(TrainSetting.FORMAT)).toLowerCase(java.util.Locale.ROOT);
    }

    /** CSV: the label's column, 0-based. */
    public int labelColumn() {
        return (Integer) values.get(TrainSetting.LABEL_COLUMN);
    }

    /** CSV: skip each file's first line. */
    public boolean header() {
        return (Boolean) values.get(TrainSetting.HEADER);
    }

    /** auto, standard, minmax or none. */
    public String normalize() {
        return ((String) values.get(TrainSetting.NORMALIZE)).toLowerCase(java.util.Locale.ROOT);
    }

    /** Classes; 0 = from the data. */
    public int classes() {
        return (Integer) values.get(TrainSetting.CLASSES);
    }

    /** LibSVM features; 0 = from the data. */
    public int features() {
        return (Integer) values.get(TrainSetting.FEATURES);
    }

    public int workers() {
        return (Integer) values.get(TrainSetting.WORKERS);
    }

    public int batchPerWorker() {
        return (Integer) values.get(TrainSetting.BATCH);
    }

    public int epochs() {
        return (Integer) values.get(TrainSetting.EPOCHS);
    }

    /** Total steps; 0 = derived from epochs. */
    public long steps() {
        return (Long) values.get(TrainSetting.STEPS);
    }

    public OptimizerSpec optimizer() {
        return optimizer;
    }

    /** Where the user asked the optimizer to run: auto (the default), the master or the workers. */
    public OptimizerOn optimizerOn() {
        return optimizerOn;
    }

    /**
     * Where the optimizer runs, auto resolved against the compressor and memory (and why): what
     * the engine must use. @throws IllegalArgumentException if the compressor or memory is invalid
     */
    public ResolvedPlacement placement() {
        return optimizerOn.resolve(Compressors.parse(compressor()), Memories.parse(memory()));
    }

    /** {@link #placement()}'s master or workers. */
    public OptimizerPlacement optimizerPlacement() {
        return placement().placement();
    }

    public long seed() {
        return (Long) values.get(TrainSetting.SEED);
    }

    /** Evaluate on the test set every this many steps (0 = only at the end). */
    public int evalEvery() {
        return (Integer) values.get(TrainSetting.EVAL_EVERY);
    }

    /** Write a checkpoint every this many steps (0 = never). */
    public int checkpointEvery() {
        return (Integer) values.get(TrainSetting.CHECKPOINT_EVERY);
    }

    public int keepCheckpoints() {
        return (Integer) values.get(TrainSetting.KEEP_CHECKPOINTS);
    }

    /** Measure the compression error every this many steps (0 = never). */
    public int theoryEvery() {
        return (Integer) values.get(TrainSetting.THEORY_EVERY);
    }

    /** Compare replica checksums with the master every this many steps (0 = never). */
    public int checksumEvery() {
        return (Integer) values.get(TrainSetting.CHECKSUM_EVERY);
    }

    public String compressor() {
        return (String) values.get(TrainSetting.COMPRESSOR);
    }

    public String memory() {
        return (String) values.get(TrainSetting.MEMORY);
    }

    public String granularity() {
        return (String) values.get(TrainSetting.GRANULARITY);
    }

    public int treeDepth() {
        return (Integer) values.get(TrainSetting.TREE_DEPTH);
    }

    public String output() {
        return (String) values.get(TrainSetting.OUTPUT);
    }

    /** Spark master when not launched by spark-submit; null = local[workers]. */
    public String master() {
        return (String) values.get(TrainSetting.MASTER);
    }

    /** Print a progress line at most this often. */
    public double progressSeconds() {
        return (Double) values.get(TrainSetting.PROGRESS_SECONDS);
    }

    /** @throws IllegalArgumentException naming the bad value and what is allowed */
    public TrainConfig validate() {
        require(workers() >= 1, "--workers must be >= 1, got " + workers());
        require(batchPerWorker() >= 1, "--batch must be >= 1, got " + batchPerWorker());
        require(epochs() >= 1 || steps() >= 1, "--epochs must be >= 1 (or give --steps >= 1), got " + epochs());
        require(steps() >= 0, "--steps must be >= 0, got " + steps());
        require(evalEvery() >= 0, "--eval-every must be >= 0, got " + evalEvery());
        require(checksumEvery() >= 0, "--checksum-every must be >= 0, got " + checksumEvery());
        require(treeDepth() >= 1, "--tree-depth must be >= 1, got " + treeDepth());
        TrainSetting.FORMAT.checkAlone(values.get(TrainSetting.FORMAT));
        TrainSetting.NORMALIZE.checkAlone(values.get(TrainSetting.NORMALIZE));
        require(labelColumn() >= 0, "--label-column must be >= 0, got " + labelColumn());
        require(classes() >= 0 && classes() != 1, "--classes must be >= 2 (or 0: from the data), got " + classes());
        require(features() >= 0, "--features must be >= 0, got " + features());
        require(model != null, "--model is required; allowed: " + ModelKind.allowed());
        require(optimizer != null, "--optimizer is required");
        require(optimizerOn != null, "--optimizer-on is required; allowed: " + OptimizerOn.allowed());
        CompressorSpec c = Compressors.parse(compressor());
        MemorySpec m = Memories.parse(memory());
        Payload payload = optimizerOn.resolve(c, m).placement().payload();
        Compatibility.check(c, m, payload);
        if (modelFile() == null) {
            Compatibility.checkOptimizer(m, payload, optimizer.traits());
        } else {
            checkUserModelSettings();
        }
        Granularity.parse(granularity());
        return this;
    }

    /**
     * A user's model brings its own architecture and updater: a built-in model or optimizer setting
     * other than the default would be silently ignored, so it is refused. (The optimizer's traits
     * are checked against the memory once the model is loaded: {@link #checkOptimizer}.)
     */
    private void checkUserModelSettings() {
        for (TrainSetting s : new TrainSetting[] {MODEL, OPTIMIZER, LR, MOMENTUM, WARMUP_STEPS, LR_SCHEDULE}) {
            Object v = values.get(s);
            if (!java.util.Objects.equals(v, DEFAULTS.values.get(s))) {
                throw new IllegalArgumentException("--model-file and --" + s.key() + " " + TrainSetting.display(v)
                        + " do not go together: " + (s == MODEL ? "give one model, a built-in one (--model) or your own "
                        + "(--model-file)" : "the model's own configuration sets its optimizer; change it there"));
            }
        }
    }

    /**
     * The memory rules against a user model's own optimizer (for a built-in model {@link #validate()}
     * checks Lamina's). @throws IllegalArgumentException saying why and what is allowed
     */
    public void checkOptimizer(io.lamina.compression.method.OptimizerTraits traits) {
        Compatibility.checkOptimizer(Memories.parse(memory()), optimizerPlacement().payload(), traits);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The configuration as a flat map for summary.json: the table's summary keys, in table order,
     * and after {@code optimizer_on} (what was asked) {@code optimizer_on_resolved} (master or workers).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (TrainSetting s : TrainSetting.values()) {
            if (s.appliesTo(TrainSetting.Use.SUMMARY)) {
                Object v = values.get(s);
                // with a model file, the built-in model's name would say what did not run
                m.put(s.summaryKey(), s == DATA && v == null ? EMBEDDED_DATA : s == MODEL && modelFile() != null ? null : v);
                if (s == OPTIMIZER_ON) {
                    m.put(RESOLVED_PLACEMENT_KEY, optimizerPlacement().cliName());
                }
            }
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainConfig c && values.equals(c.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "TrainConfig" + values;
    }
}
