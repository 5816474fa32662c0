package io.lamina.app.api;

import io.lamina.app.TrainingJob;
import io.lamina.app.engine.DistributedTrainer;
import io.lamina.app.engine.OptimizerPlacement;
import io.lamina.app.engine.OptimizerSpec;
import io.lamina.app.engine.TrainConfig;
import io.lamina.app.model.ModelKind;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.granularity.Granularity;
import io.lamina.compression.method.Memories;
import io.lamina.datasets.TrainTestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The fluent builder behind {@link Lamina#trainer(JavaSparkContext)}: a thin layer over
 * {@link TrainConfig} and {@link TrainingJob}. Every setter checks its own value at once and
 * throws {@link IllegalArgumentException} naming the setter, the bad value and what is allowed;
 * {@code fit} checks the whole configuration (and that a worker's batch fits its share of the
 * data) before any Spark job starts.
 *
 * <p>Defaults are those of {@code lamina train}: LeNet-5, 2 workers x 64 examples, 5 epochs,
 * Adam 2e-3, no compression, layer-wise granularity, seed 42, output {@code runs/latest}.
 *
 * <p>A builder is not thread-safe. It may be reused: each {@code fit} runs on a copy of the
 * configuration as it was at that moment.
 */
public final class Trainer {

    private final JavaSparkContext sc;
    private final TrainConfig config = new TrainConfig();
    private String optimizerName;
    private double learningRate;
    private double momentum;
    private int warmupSteps;
    private String schedule;
    private PrintStream out = System.out;

    Trainer(JavaSparkContext sc) {
        this.sc = sc;
        OptimizerSpec o = config.optimizer;
        this.optimizerName = o.name();
        this.learningRate = o.learningRate();
        this.momentum = o.momentum();
        this.warmupSteps = o.warmupSteps();
        this.schedule = o.schedule();
    }

    // ---------------------------------------------------------------- model and data

    /** The network: {@link ModelKind#MLP}, {@link ModelKind#LENET} or {@link ModelKind#RESNET}. */
    public Trainer model(ModelKind model) {
        config.model = Objects.requireNonNull(model, "model(null): allowed: " + ModelKind.allowed());
        return this;
    }

    /** The network by name: {@code mlp}, {@code lenet}, {@code resnet}. */
    public Trainer model(String name) {
        return check("model", name, () -> config.model = ModelKind.parse(requireText("model", name)));
    }

    /**
     * Where {@link #fit()} reads the data: a folder or Hadoop URI ({@code file://}, {@code hdfs://},
     * {@code s3a://}) holding the four IDX files; {@code null} = the embedded Fashion-MNIST subset.
     */
    public Trainer data(String folderOrUri) {
        config.data = folderOrUri == null || folderOrUri.isBlank() ? null : folderOrUri;
        return this;
    }

    // ---------------------------------------------------------------- parallelism and length

    /** Data-parallel workers (= partitions); >= 1. */
    public Trainer workers(int workers) {
        require(workers >= 1, "workers(" + workers + "): must be >= 1");
        config.workers = workers;
        return this;
    }

    /** Examples per worker per step; >= 1 and at most a worker's share of the training set. */
    public Trainer batchPerWorker(int batch) {
        require(batch >= 1, "batchPerWorker(" + batch + "): must be >= 1");
        config.batchPerWorker = batch;
        return this;
    }

    /** Epochs to train (ignored when {@link #steps(long)} is > 0); >= 1. */
    public Trainer epochs(int epochs) {
        require(epochs >= 1, "epochs(" + epochs + "): must be >= 1 (or set steps)");
        config.epochs = epochs;
        return this;
    }

    /** Total training steps; 0 = derived from the epochs. */
    public Trainer steps(long steps) {
        require(steps >= 0, "steps(" + steps + "): must be >= 0 (0 = use epochs)");
        config.steps = steps;
        return this;
    }

    // ---------------------------------------------------------------- optimizer

    /** Optimizer ({@value OptimizerSpec#ALLOWED}) and learning rate. */
    public Trainer optimizer(String name, double learningRate) {
        return optimizer(name, learningRate, momentum);
    }

    /** Optimizer, learning rate and momentum (used by {@code nesterov}; in [0, 1)). */
    public Trainer optimizer(String name, double learningRate, double momentum) {
        return setOptimizer("optimizer(\"" + name + "\", " + learningRate + ", " + momentum + ")",
                name, learningRate, momentum, warmupSteps, schedule);
    }

    /** The learning rate of the current optimizer; > 0. */
    public Trainer learningRate(double lr) {
        return setOptimizer("learningRate(" + lr + ")", optimizerName, lr, momentum, warmupSteps, schedule);
    }

    /** Linear learning-rate warm-up over this many steps (0 = none). */
    public Trainer warmup(int steps) {
        return setOptimizer("warmup(" + steps + ")", optimizerName, learningRate, momentum, steps, schedule);
    }

    /** Learning-rate schedule after warm-up: {@value OptimizerSpec#ALLOWED_SCHEDULES}. */
    public Trainer schedule(String schedule) {
        return setOptimizer("schedule(\"" + schedule + "\")", optimizerName, learningRate, momentum, warmupSteps,
                schedule);
    }

    /**
     * Where the optimizer runs: {@code "master"} (default: on the averaged gradient) or
     * {@code "workers"} (each worker's update is compressed with error feedback; see
     * {@link OptimizerPlacement}).
     */
    public Trainer optimizerOn(String placement) {
        return check("optimizerOn", placement, () -> config.optimizerOn = OptimizerPlacement.parse(placement));
    }

    private Trainer setOptimizer(String call, String name, double lr, double mom, int warmup, String sched) {
        try {
            config.optimizer = OptimizerSpec.parse(requireText("optimizer", name), lr, mom, warmup, sched);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(call + ": " + e.getMessage(), e);
        }
        optimizerName = config.optimizer.name();
        learningRate = lr;
        momentum = mom;
        warmupSteps = warmup;
        schedule = sched;
        return this;
    }

    // ---------------------------------------------------------------- compression

    /**
     * The gradient compressor as a spec string, {@code name[:params]}: {@code none}, {@code topk:0.01},
     * {@code qsgd:s=256}, {@code terngrad}, {@code signsgd}, ... ({@code Compressors.names()} lists them).
     */
    public Trainer compressor(String spec) {
        return check("compressor", spec, () -> {
            Compressors.parse(requireText("compressor", spec));
            config.compressor = spec.trim();
        });
    }

    /**
     * A compressor with its one positional parameter: {@code compressor("topk", 0.01)} is
     * {@code topk:0.01}, {@code compressor("qsgd", 256)} is {@code qsgd:256}.
     */
    public Trainer compressor(String name, double parameter) {
        return compressor(requireText("compressor", name).trim() + ":" + plain(parameter));
    }

    /** The error-feedback memory, {@code name[:params]}: {@code none}, {@code residual}, {@code efsign}, {@code dgc}. */
    public Trainer memory(String spec) {
        return check("memory", spec, () -> {
            Memories.parse(requireText("memory", spec));
            config.memory = spec.trim();
        });
    }

    /** Which segments the compressor sees: {@link Lamina#LAYER_WISE}, {@link Lamina#ENTIRE_MODEL}, {@link Lamina#bucketed(int)}. */
    public Trainer granularity(Granularity granularity) {
        Objects.requireNonNull(granularity, "granularity(null): allowed: layer, model, bucket:<elements>");
        return granularity(granularity.spec());
    }

    /** The granularity by name: {@code layer}, {@code model}, {@code bucket:<elements>}. */
    public Trainer granularity(String spec) {
        return check("granularity", spec, () -> {
            Granularity.parse(requireText("granularity", spec));
            config.granularity = spec.trim();
        });
    }

    // ---------------------------------------------------------------- the rest

    /** Seed for the weights, the partitioning and every minibatch. */
    public Trainer seed(long seed) {
        config.seed = seed;
        return this;
    }

    /** Evaluate on the test set every this many steps (0 = only at the end, which always happens). */
    public Trainer evalEvery(int steps) {
        require(steps >= 0, "evalEvery(" + steps + "): must be >= 0 (0 = at the end only)");
        config.evalEvery = steps;
        return this;
    }

    /** Compare replica checksums with the master every this many steps (0 = never). */
    public Trainer checksumEvery(int steps) {
        require(steps >= 0, "checksumEvery(" + steps + "): must be >= 0 (0 = never)");
        config.checksumEvery = steps;
        return this;
    }

    /** Depth of Spark's {@code treeReduce} over the workers' messages; >= 1. */
    public Trainer treeDepth(int depth) {
        require(depth >= 1, "treeDepth(" + depth + "): must be >= 1");
        config.treeDepth = depth;
        return this;
    }

    /** Output folder for {@code metrics.jsonl}, {@code summary.json}, {@code model.zip}. */
    public Trainer output(String folder) {
        require(folder != null && !folder.isBlank(), "output(\"" + folder + "\"): must be a folder path");
        config.output = folder;
        return this;
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
        config.master = master;
        return this;
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
        require(seconds > 0, "progressEvery(" + seconds + "): must be > 0");
        config.progressSeconds = seconds;
        return this;
    }

    // ---------------------------------------------------------------- build and fit

    /**
     * A validated copy of the configuration as it stands.
     *
     * @throws IllegalArgumentException naming the bad value and what is allowed
     */
    public TrainConfig config() {
        TrainConfig copy = copy(config);
        try {
            return copy.validate();
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
     * @throws io.lamina.app.engine.TrainingDivergedException if the loss became NaN/infinite
     *         (the model of the last good step and {@code summary.json} are written first)
     */
    public TrainingResult fit() {
        TrainConfig c = config();
        return run(c, TrainingJob.loadData(c));
    }

    /** Trains on the IDX files in a folder or Hadoop URI ({@code file://}, {@code hdfs://}, {@code s3a://}). */
    public TrainingResult fit(String dataUri) {
        require(dataUri != null && !dataUri.isBlank(), "fit(\"" + dataUri + "\"): give a folder or Hadoop URI");
        TrainConfig c = config();
        c.data = dataUri;
        return run(c, TrainingJob.loadData(c));
    }

    /** Trains on data already in memory (e.g. {@code IdxDataset.load(...)} or {@code SyntheticData}). */
    public TrainingResult fit(TrainTestData data) {
        Objects.requireNonNull(data, "fit(null): give the train/test data");
        TrainConfig c = config();
        c.data = "in-memory:" + data.train().numExamples() + "+" + data.test().numExamples() + " examples";
        return run(c, data);
    }

    private TrainingResult run(TrainConfig c, TrainTestData data) {
        DistributedTrainer.stepsPerEpoch(c, data.train()); // batch must fit a partition: fail before Spark work
        try {
            Map<String, Object> summary = TrainingJob.run(c, data, sc, out);
            return new TrainingResult(summary, Path.of(c.output), c);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's output to " + c.output, e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private Trainer check(String setter, String value, Runnable apply) {
        try {
            apply.run();
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            throw new IllegalArgumentException(setter + "(\"" + value + "\"): " + msg, e);
        }
        return this;
    }

    private static String requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return value;
    }

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

    private static TrainConfig copy(TrainConfig c) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
                o.writeObject(c);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (TrainConfig) in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot copy the configuration", e);
        }
    }
}
