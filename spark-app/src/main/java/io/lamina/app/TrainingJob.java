package io.lamina.app;

import io.lamina.app.checkpoint.CheckpointStore;
import io.lamina.app.checkpoint.ResumeSettings;
import io.lamina.app.config.TrainConfig;
import io.lamina.app.data.DataErrors;
import io.lamina.app.data.DataInfo;
import io.lamina.app.data.DataSource;
import io.lamina.app.data.DataSources;
import io.lamina.app.data.InMemoryData;
import io.lamina.app.data.Normalizer;
import io.lamina.app.data.TrainingData;
import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.app.engine.driver.RunModel;
import io.lamina.app.model.ModelCheck;
import io.lamina.app.model.ModelSource;
import io.lamina.app.engine.driver.StepRecord;
import io.lamina.app.engine.driver.TrainingDivergedException;
import io.lamina.app.engine.protocol.Checkpoint;
import io.lamina.app.engine.protocol.EvalResult;
import io.lamina.app.metrics.ConsoleProgress;
import io.lamina.app.metrics.RunOutput;
import io.lamina.app.spark.SparkContexts;
import io.lamina.app.model.ModelKind;
import io.lamina.app.model.ModelShape;
import io.lamina.datasets.DatasetException;
import io.lamina.datasets.TrainTestData;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One training run from a {@link TrainConfig} to its output folder: open the data on the cluster
 * (the files' checks and the one pass for counts and normalisation), train, evaluate, and write
 * {@code metrics.jsonl}, {@code summary.json}, {@code model.zip} and {@code normalizer.json}
 * (and checkpoints when asked). Used by {@code lamina train}, the experiments and the Java API.
 */
public final class TrainingJob {

    private TrainingJob() {
    }

    /**
     * Where the configured data comes from: --train/--test, --data, or the embedded subset.
     *
     * @throws IllegalArgumentException for --data with --train/--test, or only one of --train and --test
     */
    public static DataSource source(TrainConfig config) {
        if (config.data() != null && (config.train() != null || config.test() != null)) {
            throw new IllegalArgumentException("give either --data (a folder of IDX files) or --train and --test "
                    + "(CSV or LibSVM), not both");
        }
        if ((config.train() == null) != (config.test() == null)) {
            throw new IllegalArgumentException("--train and --test go together; got only --"
                    + (config.train() == null ? "test" : "train"));
        }
        return DataSources.of(config.train(), config.test(), config.data(), config.format(), config.labelColumn(),
                config.header(), config.normalize(), config.classes(), config.features());
    }

    /**
     * The driver's checks before Spark starts: the files exist, headers and first lines are right,
     * and, where the count is known without a pass (IDX, memory), a worker's batch fits.
     *
     * @throws DatasetException naming the file (or the batch) and what is wrong
     */
    public static void check(TrainConfig config, DataSource source) {
        long known = source.check(DataSources.hadoopConfigurationBeforeSpark());
        if (known >= 0) {
            batchFits(config, known);
        }
    }

    /** Data the driver holds, normalised as {@code --normalize} says (auto: none). */
    private static DataSource inMemory(TrainConfig config, TrainTestData data) {
        return new InMemoryData(data, Normalizer.Method.parse(config.normalize()));
    }

    /**
     * Runs the whole job. Creates (and stops) a Spark context unless {@code sc} is given.
     *
     * @return the summary that was written to {@code summary.json}
     * @throws TrainingDivergedException after saving the last good model, if the loss diverged
     */
    public static Map<String, Object> run(TrainConfig config, TrainTestData data, JavaSparkContext sc, PrintStream out)
            throws IOException {
        return run(config, inMemory(config, data), RunModel.source(config), sc, out, null);
    }

    /** {@link #run(TrainConfig, TrainTestData, JavaSparkContext, PrintStream)} continuing from {@code resume}. */
    public static Map<String, Object> run(TrainConfig config, TrainTestData data, JavaSparkContext sc, PrintStream out,
            Checkpoint resume) throws IOException {
        return run(config, inMemory(config, data), RunModel.source(config), sc, out, resume);
    }

    /** {@link #run(TrainConfig, TrainTestData, JavaSparkContext, PrintStream)} on the network from {@code model}. */
    public static Map<String, Object> run(TrainConfig config, TrainTestData data, ModelSource model, JavaSparkContext sc,
            PrintStream out) throws IOException {
        return run(config, inMemory(config, data), model, sc, out, null);
    }

    /** The whole job on the configured data ({@link #source}). */
    public static Map<String, Object> run(TrainConfig config, DataSource source, JavaSparkContext sc, PrintStream out)
            throws IOException {
        return run(config, source, RunModel.source(config), sc, out, null);
    }

    /**
     * Runs the whole job on the network from {@code model}, continuing from {@code resume} when it
     * is not null (a checkpoint of a run with the same configuration: see {@code ResumeSettings});
     * {@code metrics.jsonl} then keeps the lines of the steps before it.
     *
     * @throws DatasetException for bad data (found on the driver or the executors: it names the file and line)
     */
    public static Map<String, Object> run(TrainConfig config, DataSource source, ModelSource model, JavaSparkContext sc,
            PrintStream out, Checkpoint resume) throws IOException {
        config.validate();
        long start = System.nanoTime();
        boolean ownContext = sc == null;
        if (ownContext) {
            sc = SparkContexts.create(config.master() != null ? config.master() : "local[" + config.workers() + "]",
                    "lamina-train");
        }
        try {
            JavaSparkContext context = sc;
            TrainingData data = DataErrors.unwrapped(() -> source.open(context));
            DistributedTrainer trainer;
            int stepsPerEpoch;
            try {
                stepsPerEpoch = batchFits(config, data.info().trainExamples());
                modelFits(config, data.info());
                modelMatches(config, model, data.info());
                trainer = new DistributedTrainer(sc, config, data, model);
                if (resume != null) {
                    trainer.resumeFrom(resume);
                }
            } catch (RuntimeException e) {
                data.release();
                throw e;
            }
            RunOutput output;
            try {
                DataErrors.unwrapped(trainer::start); // the blocks are read here: bad lines surface before step 1
                // Nothing is written before the data and the model are known to fit.
                output = new RunOutput(config.output(), sc.hadoopConfiguration(), resume == null ? -1 : resume.steps());
            } catch (IOException | RuntimeException e) {
                trainer.close();
                throw e;
            }
            try (output) {
                if (resume != null) {
                    out.printf("lamina: resuming %s at step %d%n", output.dir(), resume.steps());
                }
                CheckpointStore checkpoints = config.checkpointEvery() > 0
                        ? new CheckpointStore(config.output(), sc.hadoopConfiguration(), config.keepCheckpoints()) : null;
                Map<String, String> settings = ResumeSettings.of(config);
                StepTotals totals = new StepTotals();
                ConsoleProgress progress = new ConsoleProgress(out, trainer.totalSteps(), stepsPerEpoch,
                        config.progressSeconds());
                progress.setDenseBytesPerStep(4L * trainer.master().numParams() * config.workers());
                trainer.addListener(output);
                trainer.addListener(progress);
                trainer.addListener(totals);
                out.printf("lamina: training %s (%,d parameters) on %,d examples (%s, normalized %s), %d workers x %d per step,"
                        + " %d steps, compressor %s, memory %s, optimizer %s on %s, output %s%n", model.describe(),
                        trainer.master().numParams(), data.info().trainExamples(), source.describe(), data.normalizer(),
                        config.workers(), config.batchPerWorker(), trainer.totalSteps(), config.compressor(), config.memory(),
                        optimizerName(config, trainer), config.placement().describe(), output.dir());
                out.printf("lamina: compression kernels in this JVM: %s%n", io.lamina.compression.simd.Simd.describe());
                Map<String, Object> summary;
                try {
                    EvalResult eval = trainer.fit(() -> {
                        long s = trainer.step();
                        if (checkpoints != null && (s % config.checkpointEvery() == 0 || s == trainer.totalSteps())) {
                            writeCheckpoint(checkpoints, trainer, settings);
                        }
                    });
                    output.saveModel(trainer.master());
                    output.writeFile(Normalizer.FILE_NAME, data.normalizer().json());
                    summary = summary(config, data, trainer, totals, eval, start, "completed", null);
                } catch (TrainingDivergedException e) {
                    output.saveModel(trainer.master());
                    output.writeFile(Normalizer.FILE_NAME, data.normalizer().json());
                    summary = summary(config, data, trainer, totals, null, start, "diverged", e.getMessage());
                    output.writeSummary(summary);
                    throw e;
                } catch (RuntimeException | Error e) {
                    // Whatever stopped the run, what it had is kept: the model of the last completed
                    // step and a summary that says why.
                    saveWhatRemains(output, trainer,
                            summary(config, data, trainer, totals, null, start, "failed", e.toString()));
                    throw e;
                } finally {
                    trainer.close();
                }
                output.writeSummary(summary);
                out.printf("lamina: test accuracy %.2f%%, test loss %.4f, %.0f samples/s; wrote %s%n",
                        100 * (double) summary.get("test_accuracy"), (double) summary.get("test_loss"),
                        (double) summary.get("samples_per_second"), output.dir());
                return summary;
            }
        } finally {
            if (ownContext) {
                sc.stop();
            }
        }
    }

    private static void writeCheckpoint(CheckpointStore store, DistributedTrainer trainer, Map<String, String> settings) {
        try {
            store.write(trainer.checkpoint(settings), trainer.master());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the checkpoint after step " + trainer.step()
                    + ": " + e.getMessage(), e);
        }
    }

    private static void saveWhatRemains(RunOutput output, DistributedTrainer trainer, Map<String, Object> summary) {
        try {
            output.saveModel(trainer.master());
        } catch (IOException | RuntimeException e) {
            summary.put("model_error", "model.zip not written: " + e);
        }
        try {
            output.writeSummary(summary);
        } catch (IOException | RuntimeException e) {
            // the error that stopped the run is the one to report
        }
    }

    /** Lamina's optimizer for a built-in model, else the user model's own updater(s). */
    private static String optimizerName(TrainConfig config, DistributedTrainer trainer) {
        return config.modelFile() == null ? config.optimizer().name()
                : ModelCheck.optimizerTraits(trainer.master().model()).name() + " (the model's own)";
    }

    /** Steps per epoch; a batch larger than a partition is bad input (a {@link DatasetException}). */
    private static int batchFits(TrainConfig config, long trainExamples) {
        try {
            return DistributedTrainer.stepsPerEpoch(config, trainExamples);
        } catch (IllegalArgumentException e) {
            throw new DatasetException(e.getMessage(), e);
        }
    }

    /** The model's input and output fit the data's (bad input otherwise, naming both sizes). */
    private static void modelMatches(TrainConfig config, ModelSource model, DataInfo info) {
        try {
            RunModel.check(config, model, new ModelShape(info.shape().channels(), info.shape().height(),
                    info.shape().width(), info.numClasses()));
        } catch (IllegalArgumentException e) {
            throw new DatasetException(e.getMessage(), e);
        }
    }

    /** The built-in convolutional models need images; rows of CSV or LibSVM are flat. */
    private static void modelFits(TrainConfig config, DataInfo info) {
        if (config.modelFile() == null && config.model() != ModelKind.MLP
                && (info.shape().height() < 5 || info.shape().width() < 5)) {
            throw new DatasetException("--model " + config.model().cliName() + " needs images of at least 5x5 pixels;"
                    + " the data's examples are " + info.shape() + " (flat rows of " + info.featureSize()
                    + " features): use --model mlp");
        }
    }

    private static Map<String, Object> summary(TrainConfig config, TrainingData data, DistributedTrainer trainer,
            StepTotals totals, EvalResult eval, long start, String status, String error) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", status);
        if (error != null) {
            s.put("error", error);
        }
        s.put("model", trainer.modelDescription());
        s.put("test_accuracy", eval == null ? null : eval.accuracy());
        s.put("test_loss", eval == null ? null : eval.loss());
        s.put("steps", trainer.step());
        s.put("examples", totals.examples);
        s.put("samples_per_second", totals.wallMs == 0 ? 0.0 : totals.examples / (totals.wallMs / 1000.0));
        s.put("uplink_bytes", trainer.uplinkBytes());
        s.put("downlink_bytes", trainer.downlinkBytes());
        s.put("wall_seconds", (System.nanoTime() - start) / 1e9);
        s.put("train_seconds", totals.wallMs / 1000.0);
        s.put("median_step_overhead_ms", totals.medianOverhead());
        s.put("final_train_loss", trainer.lastLoss());
        s.put("parameters", trainer.master().numParams());
        s.put("compression_segments", trainer.plan().segments().size());
        s.put("tree_level_bytes", trainer.treeLevelBytes());
        s.put("rebuilt_replicas", trainer.rebuiltReplicas());
        // A rebuilt replica starts from the master with empty memory: its residuals are lost.
        s.put("reset_residuals", "none".equals(trainer.plan().memory().name()) ? 0 : trainer.rebuiltReplicas());
        s.put("moved_replicas", trainer.movedReplicas());
        s.put("lost_executors", trainer.lostExecutors());
        s.put("checksum_mismatches", trainer.checksumMismatches());
        s.put("train_examples", data.info().trainExamples());
        s.put("test_examples", data.info().testExamples());
        s.put("features", data.info().featureSize());
        s.put("classes", data.info().numClasses());
        s.put("normalizer", data.normalizer().method().cliName());
        s.put("config", config.toMap());
        return s;
    }

    /** Sums over steps for the summary. */
    private static final class StepTotals implements io.lamina.app.engine.driver.StepListener {
        long examples;
        double wallMs;
        /** Constant memory, however many steps: a notebook's context may run for a long time. */
        final io.lamina.app.metrics.LogHistogram overheads = new io.lamina.app.metrics.LogHistogram();

        @Override
        public void onStep(StepRecord r) {
            examples += r.examples();
            wallMs += r.wallMs();
            overheads.add(r.overheadMs());
        }

        /** Within 0.25% of the exact median. */
        double medianOverhead() {
            return overheads.median();
        }
    }
}
