package io.lamina.app.api;

import static io.lamina.app.config.TrainSetting.BATCH;
import static io.lamina.app.config.TrainSetting.CHECKSUM_EVERY;
import static io.lamina.app.config.TrainSetting.THEORY_EVERY;
import static io.lamina.app.config.TrainSetting.COMPRESSOR;
import static io.lamina.app.config.TrainSetting.DATA;
import static io.lamina.app.config.TrainSetting.EPOCHS;
import static io.lamina.app.config.TrainSetting.EVAL_EVERY;
import static io.lamina.app.config.TrainSetting.CLASSES;
import static io.lamina.app.config.TrainSetting.FEATURES;
import static io.lamina.app.config.TrainSetting.FORMAT;
import static io.lamina.app.config.TrainSetting.HEADER;
import static io.lamina.app.config.TrainSetting.LABEL_COLUMN;
import static io.lamina.app.config.TrainSetting.NORMALIZE;
import static io.lamina.app.config.TrainSetting.TEST;
import static io.lamina.app.config.TrainSetting.TRAIN;
import static io.lamina.app.config.TrainSetting.GRANULARITY;
import static io.lamina.app.config.TrainSetting.LR;
import static io.lamina.app.config.TrainSetting.LR_SCHEDULE;
import static io.lamina.app.config.TrainSetting.MASTER;
import static io.lamina.app.config.TrainSetting.MEMORY;
import static io.lamina.app.config.TrainSetting.MODEL;
import static io.lamina.app.config.TrainSetting.MODEL_FILE;
import static io.lamina.app.config.TrainSetting.MOMENTUM;
import static io.lamina.app.config.TrainSetting.OPTIMIZER;
import static io.lamina.app.config.TrainSetting.OPTIMIZER_ON;
import static io.lamina.app.config.TrainSetting.OUTPUT;
import static io.lamina.app.config.TrainSetting.PROGRESS_SECONDS;
import static io.lamina.app.config.TrainSetting.SEED;
import static io.lamina.app.config.TrainSetting.STEPS;
import static io.lamina.app.config.TrainSetting.TREE_DEPTH;
import static io.lamina.app.config.TrainSetting.WARMUP_STEPS;
import static io.lamina.app.config.TrainSetting.WORKERS;

import io.lamina.app.TrainingJob;
import io.lamina.app.config.OptimizerPlacement;
import io.lamina.app.config.OptimizerSpec;
import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting.Use;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.data.DataSource;
import io.lamina.app.data.DataSources;
import io.lamina.app.data.InMemoryData;
import io.lamina.app.data.Normalizer;
import io.lamina.app.data.RowsSource;
import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.app.engine.driver.RunModel;
import io.lamina.app.model.ModelKind;
import io.lamina.app.model.ModelSource;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import io.lamina.compression.granularity.Granularity;
import io.lamina.compression.method.Compressors;
import io.lamina.datasets.TrainTestData;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The fluent builder behind {@link Lamina#trainer(JavaSparkContext)}: a thin layer over
 * {@link TrainConfig} and {@link TrainingJob}. Each setter sets one {@link TrainSetting} through
 * {@link #set(TrainSetting, Object)} (or, by key, {@link #set(String, Object)}: {@code set("workers", 4)}),
 * which checks the value at once and throws {@link IllegalArgumentException} naming the setter, the
 * bad value and what is allowed; {@code fit} checks the whole configuration (and that a worker's
 * batch fits its share of the data) before any Spark job starts.
 *
 * <p>Defaults are those of {@code lamina train}: LeNet-5, 2 workers x 64 examples, 5 epochs,
 * Adam 2e-3, no compression, layer-wise granularity, seed 42, output {@code runs/latest}.
 *
 * <p>A builder is not thread-safe. It may be reused: each {@code fit} runs on the (immutable)
 * configuration as it was at that moment.
 */
public final class Trainer {

    private final JavaSparkContext sc;
    private TrainConfig config = TrainConfig.defaults();
    /** A model object given to {@code model(...)}; null = the configuration's (built-in or file). */
    private ModelSource modelObject;
    private PrintStream out = System.out;

    Trainer(JavaSparkContext sc) {
        this.sc = sc;
    }

    // ---------------------------------------------------------------- any setting

    /**
     * Sets one setting: {@code value} of the setting's type (an {@code int} for a {@code long}
     * setting is fine, and so is a numeric string), checked on its own at once.
     *
     * @throws IllegalArgumentException naming the setter, the value and what is allowed
     */
    public Trainer set(TrainSetting setting, Object value) {
        try {
            Object v = setting.coerce(value);
            setting.checkAlone(v);
            config = config.with(setting, v);
            if (setting == MODEL_FILE) {
                modelObject = null; // a file, or none, replaces a model object given before
            }
        } catch (IllegalArgumentException e) {
            String shown = value instanceof String ? "\"" + value + "\"" : TrainSetting.display(value);
            // the table's checks speak in CLI options (--lr); here the setting is a method
            String problem = e.getMessage().replaceAll("--([a-z][a-z-]*)", "$1");
            throw new IllegalArgumentException(setting.apiName() + "(" + shown + "): " + problem, e);
        }
        return this;
    }

    /** Sets a setting by its key, as in {@code lamina train --<key>} ({@code batch}, {@code lr-schedule}, ...). */
    public Trainer set(String key, Object value) {
        TrainSetting s = key == null ? null : TrainSetting.byKey(key, Use.API);
        if (s == null) {
            throw new IllegalArgumentException("set(\"" + key + "\", ...): unknown setting; allowed: "
                    + TrainSetting.allowedKeys(Use.API));
        }
        return set(s, value);
    }

    // ---------------------------------------------------------------- model and data

    /** The network: {@link ModelKind#MLP}, {@link ModelKind#LENET} or {@link ModelKind#RESNET}. */
    public Trainer model(ModelKind model) {
        return set(MODEL, Objects.requireNonNull(model, "model(null): allowed: " + ModelKind.allowed()).cliName());
    }

    /** The network by name: {@code mlp}, {@code lenet}, {@code resnet}. */
    public Trainer model(String name) {
        return set(MODEL, name);
    }

    /**
     * Your own network, from a configuration: weights drawn from its seed, and its own updater (the
     * optimizer settings stay at their defaults). Instead of a built-in {@link #model(String)}.
     */
    public Trainer model(MultiLayerConfiguration configuration) {
        return userModel(ModelSource.of(Objects.requireNonNull(configuration, "model(null configuration)")));
    }

    /** Your own ComputationGraph, from a configuration (see {@link #model(MultiLayerConfiguration)}). */
    public Trainer model(ComputationGraphConfiguration configuration) {
        return userModel(ModelSource.of(Objects.requireNonNull(configuration, "model(null configuration)")));
    }

    /**
     * Your own network as it is now (copied): training continues from its weights, updater state
     * and iteration count, with its own updater.
     */
    public Trainer model(MultiLayerNetwork network) {
        return userModel(ModelSource.of(Objects.requireNonNull(network, "model(null network)")));
    }

    /** Your own ComputationGraph as it is now (see {@link #model(MultiLayerNetwork)}). */
    public Trainer model(ComputationGraph network) {
        return userModel(ModelSource.of(Objects.requireNonNull(network, "model(null network)")));
    }

    /**
     * Your own model from a file, as {@code lamina train --model-file}: a configuration JSON
     * (either kind) or a {@code ModelSerializer} zip. The file is read by {@code fit}.
     */
    public Trainer modelFile(String file) {
        return set(MODEL_FILE, file);
    }

    private Trainer userModel(ModelSource source) {
        set(MODEL_FILE, TrainConfig.API_MODEL + source.describe());
        modelObject = source;
        return this;
    }

    /**
     * Where {@link #fit()} reads the data: a folder or Hadoop URI ({@code file://}, {@code hdfs://},
     * {@code s3a://}) holding the four IDX files; {@code null} = the embedded Fashion-MNIST subset.
     */
    public Trainer data(String folderOrUri) {
        return set(DATA, folderOrUri == null || folderOrUri.isBlank() ? null : folderOrUri);
    }

    /**
     * CSV or LibSVM training data read by the executors: a file or folder, local path or Hadoop
     * URI; with {@link #test(String)}, instead of {@link #data(String)}.
     */
    public Trainer train(String fileOrFolder) {
        return set(TRAIN, fileOrFolder == null || fileOrFolder.isBlank() ? null : fileOrFolder);
    }

    /** CSV or LibSVM test data (with {@link #train(String)}). */
    public Trainer test(String fileOrFolder) {
        return set(TEST, fileOrFolder == null || fileOrFolder.isBlank() ? null : fileOrFolder);
    }

    /** Format of the train/test files: {@code csv}, {@code libsvm} or {@code auto} (from the extension). */
    public Trainer format(String format) {
        return set(FORMAT, format);
    }

    /** CSV: the label's column, 0-based (default 0). */
    public Trainer labelColumn(int column) {
        return set(LABEL_COLUMN, column);
    }

    /** CSV: whether each file's first line is a header (default false). */
    public Trainer header(boolean header) {
        return set(HEADER, header);
    }

    /** {@value TrainSetting#NORMALIZE_METHODS}: per-feature scaling computed from the training set. */
    public Trainer normalize(String method) {
        return set(NORMALIZE, method);
    }

    /** Number of classes C, labels 0..C-1 (0: from the data). */
    public Trainer classes(int classes) {
        return set(CLASSES, classes);
    }

    /** LibSVM: number of features (0: the largest index + 1). */
    public Trainer features(int features) {
        return set(FEATURES, features);
    }

    // ---------------------------------------------------------------- parallelism and length

    /** Data-parallel workers (= partitions); >= 1. */
    public Trainer workers(int workers) {
        return set(WORKERS, workers);
    }

    /** Examples per worker per step; >= 1 and at most a worker's share of the training set. */
    public Trainer batchPerWorker(int batch) {
        return set(BATCH, batch);
    }

    /** Epochs to train (ignored when {@link #steps(long)} is > 0); >= 1 unless steps is set. */
    public Trainer epochs(int epochs) {
        return set(EPOCHS, epochs);
    }

    /** Total training steps; 0 = derived from the epochs. */
    public Trainer steps(long steps) {
        return set(STEPS, steps);
    }

    // ---------------------------------------------------------------- optimizer

    /** Optimizer: {@value OptimizerSpec#ALLOWED}. */
    public Trainer optimizer(String name) {
        return set(OPTIMIZER, name);
    }

    /** Optimizer ({@value OptimizerSpec#ALLOWED}) and learning rate. */
    public Trainer optimizer(String name, double learningRate) {
        return optimizer(name).learningRate(learningRate);
    }

    /** Optimizer, learning rate and momentum (used by {@code nesterov}; in [0, 1)). */
    public Trainer optimizer(String name, double learningRate, double momentum) {
        return optimizer(name, learningRate).momentum(momentum);
    }

    /** Momentum, used by {@code nesterov}; in [0, 1). */
    public Trainer momentum(double momentum) {
        return set(MOMENTUM, momentum);
    }

    /** The learning rate of the current optimizer; > 0. */
    public Trainer learningRate(double lr) {
        return set(LR, lr);
    }

    /** Linear learning-rate warm-up over this many steps (0 = none). */
    public Trainer warmup(int steps) {
        return set(WARMUP_STEPS, steps);
    }

    /** Learning-rate schedule after warm-up: {@value OptimizerSpec#ALLOWED_SCHEDULES}. */
    public Trainer schedule(String schedule) {
        return set(LR_SCHEDULE, schedule);
    }

    /**
     * Where the optimizer runs: {@code "auto"} (default: the workers for a biased sparsifier with
     * error feedback, else the master), {@code "master"} (on the averaged gradient) or
     * {@code "workers"} (each worker's update is compressed with error feedback; see
     * {@link OptimizerPlacement}).
     */
    public Trainer optimizerOn(String placement) {
        return set(OPTIMIZER_ON, placement);
    }

    // ---------------------------------------------------------------- compression

    /**
     * The gradient compressor as a spec string, {@code name[:params]}: {@code none}, {@code topk:0.01},
     * {@code qsgd:s=256}, {@code terngrad}, {@code signsgd}, ... ({@code Compressors.names()} lists them).
     */
    public Trainer compressor(String spec) {
        return set(COMPRESSOR, spec);
    }

    /**
     * A compressor with its one positional parameter: {@code compressor("topk", 0.01)} is
     * {@code topk:0.01}, {@code compressor("qsgd", 256)} is {@code qsgd:256}.
     */
    public Trainer compressor(String name, double parameter) {
        return set(COMPRESSOR, name == null || name.isBlank() ? null : name.trim() + ":" + plain(parameter));
    }

    /** The error-feedback memory, {@code name[:params]}: {@code none}, {@code residual}, {@code efsign}, {@code dgc}. */
    public Trainer memory(String spec) {
        return set(MEMORY, spec);
    }

    /** Which segments the compressor sees: {@link Lamina#LAYER_WISE}, {@link Lamina#ENTIRE_MODEL}, {@link Lamina#bucketed(int)}. */
    public Trainer granularity(Granularity granularity) {
        return set(GRANULARITY, Objects.requireNonNull(granularity,
                "granularity(null): allowed: layer, model, bucket:<elements>").spec());
    }

    /** The granularity by name: {@code layer}, {@code model}, {@code bucket:<elements>}. */
    public Trainer granularity(String spec) {
        return set(GRANULARITY, spec);
    }

    // ---------------------------------------------------------------- the rest

    /** Seed for the weights, the partitioning and every minibatch. */
    public Trainer seed(long seed) {
        return set(SEED, seed);
    }

    /** Evaluate on the test set every this many steps (0 = only at the end, which always happens). */
    public Trainer evalEvery(int steps) {
        return set(EVAL_EVERY, steps);
    }

    /**
     * Measure the relative compression error and the empirical Omega of every segment every this
     * many steps (0 = never); they appear in the step records.
     */
    public Trainer theoryEvery(int steps) {
        return set(THEORY_EVERY, steps);
    }

    /** Write a checkpoint every this many steps to {@code <output>/checkpoints} (0 = never). */
    public Trainer checkpointEvery(int steps) {
        return set(TrainSetting.CHECKPOINT_EVERY, steps);
    }

    /** How many of the newest checkpoints to keep. */
    public Trainer keepCheckpoints(int count) {
        return set(TrainSetting.KEEP_CHECKPOINTS, count);
    }

    /** Compare replica checksums with the master every this many steps (0 = never). */
    public Trainer checksumEvery(int steps) {
        return set(CHECKSUM_EVERY, steps);
    }

    /** Levels of the merge tree over the workers' results (1: the driver sums them all); >= 1. */
    public Trainer treeDepth(int depth) {
        return set(TREE_DEPTH, depth);
    }

    /** Output folder for {@code metrics.jsonl}, {@code summary.json}, {@code model.zip}. */
    public Trainer output(String folder) {
        return set(OUTPUT, folder);
    }

    /** Output folder. */
    public Trainer output(Path folder) {
        return output(folder == null ? null : folder.toString());
    }

    /**
     * Spark master, used only when the trainer creates its own context ({@link Lamina#trainer()});
     * default {@code local[<workers>]}.
     */
    public Trainer master(String master) {
        return set(MASTER, master);
    }

    /** Where the progress lines go (default {@code System.out}). */
    public Trainer progressTo(PrintStream out) {
        this.out = Objects.requireNonNull(out, "progressTo(null)");
        return this;
    }

    /** No progress output. */
    public Trainer quiet() {
        return progressTo(new PrintStream(OutputStream.nullOutputStream()));
    }

    /** Seconds between progress lines (default 2). */
    public Trainer progressEvery(double seconds) {
        return set(PROGRESS_SECONDS, seconds);
    }

    // ---------------------------------------------------------------- build and fit

    /**
     * The configuration as it stands, validated.
     *
     * @throws IllegalArgumentException naming the bad value and what is allowed
     */
    public TrainConfig config() {
        try {
            return config.validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid training configuration: " + e.getMessage(), e);
        }
    }

    /** The configuration as the flat map written to {@code summary.json}'s {@code config}. */
    public Map<String, Object> describe() {
        return config().toMap();
    }

    /**
     * Trains on the data set with {@link #data(String)} (default: the embedded Fashion-MNIST subset).
     *
     * @throws IllegalArgumentException for an invalid configuration, before any Spark job starts
     * @throws io.lamina.datasets.DatasetException for missing, truncated or corrupt data files
     * @throws io.lamina.app.engine.driver.TrainingDivergedException if the loss became NaN/infinite
     *         (the model of the last good step and {@code summary.json} are written first)
     */
    public TrainingResult fit() {
        TrainConfig c = config();
        return run(c, TrainingJob.source(c));
    }

    /** Trains on the IDX files in a folder or Hadoop URI ({@code file://}, {@code hdfs://}, {@code s3a://}). */
    public TrainingResult fit(String dataUri) {
        require(dataUri != null && !dataUri.isBlank(), "fit(\"" + dataUri + "\"): give a folder or Hadoop URI");
        TrainConfig c = config().with(DATA, dataUri);
        return run(c, TrainingJob.source(c));
    }

    /** Trains on data already in memory (e.g. {@code IdxDataset.load(...)} or {@code SyntheticData}). */
    public TrainingResult fit(TrainTestData data) {
        Objects.requireNonNull(data, "fit(null): give the train/test data");
        TrainConfig c = config().with(DATA,
                "in-memory:" + data.train().numExamples() + "+" + data.test().numExamples() + " examples");
        DistributedTrainer.stepsPerEpoch(c, data.train()); // batch must fit a partition: fail before Spark work
        return run(c, new InMemoryData(data, Normalizer.Method.parse(c.normalize())));
    }

    /**
     * Trains on Spark rows: {@code featuresColumn} an array of numbers or an ML vector, {@code labelColumn}
     * an integer class 0..C-1 (C from the data, or {@link #classes(int)}). Normalised as
     * {@link #normalize(String)} says (auto: standard). The Datasets' partitions must give the same
     * rows in the same order when recomputed (read from files, or cached), for runs to reproduce.
     */
    public TrainingResult fit(Dataset<Row> train, Dataset<Row> test, String featuresColumn, String labelColumn) {
        require(train != null && test != null, "fit(train, test, ...): give both Datasets");
        TrainConfig c = config().with(DATA, "dataset:" + featuresColumn + "," + labelColumn);
        return run(c, new RowsSource(train, test, featuresColumn, labelColumn,
                Normalizer.Method.parse(c.normalize()), c.classes()));
    }

    /** {@link #fit(Dataset, Dataset, String, String)} with Spark ML's column names, {@code features} and {@code label}. */
    public TrainingResult fit(Dataset<Row> train, Dataset<Row> test) {
        return fit(train, test, "features", "label");
    }

    private TrainingResult run(TrainConfig c, DataSource source) {
        try {
            // files and headers, and the batch where the count is known: before any Spark work
            long known = source.check(sc != null ? sc.hadoopConfiguration() : DataSources.hadoopConfigurationBeforeSpark());
            if (known >= 0) {
                DistributedTrainer.stepsPerEpoch(c, known);
            }
            ModelSource model = modelObject != null ? modelObject : RunModel.source(c);
            Map<String, Object> summary = TrainingJob.run(c, source, model, sc, out, null);
            return new TrainingResult(summary, Path.of(c.output()), c);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's output to " + c.output(), e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** 0.01 -> "0.01", 256.0 -> "256" (so integer parameters parse as integers). */
    static String plain(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("compressor parameter must be finite, got " + v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
