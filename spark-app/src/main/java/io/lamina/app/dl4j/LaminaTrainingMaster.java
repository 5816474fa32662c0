package io.lamina.app.dl4j;

import io.lamina.app.checkpoint.ResumeSettings;
import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.app.engine.driver.StepListener;
import io.lamina.app.engine.driver.TrainingBlocks;
import io.lamina.app.model.Dl4jNet;
import io.lamina.app.model.ModelSource;
import io.lamina.compression.granularity.Granularity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.dataformat.yaml.YAMLFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DL4J {@code TrainingMaster} that trains through Lamina's engine: synchronous data-parallel
 * steps with compressed gradients, exactly as {@code lamina train} runs them.
 *
 * <pre>{@code
 * TrainingMaster<?, ?> tm = new LaminaTrainingMaster.Builder()
 *         .workers(2).batchSizePerWorker(64).epochs(1)
 *         .compressor("topk:0.01").memory("residual")
 *         .build();
 * SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, conf, tm);
 * MultiLayerNetwork trained = spark.fit(trainingData);        // a JavaRDD<DataSet>
 * }</pre>
 *
 * <p>Each {@code fit} turns the RDD into one data block per worker on the executors
 * ({@link DataSetBlocks}: a seeded shuffle, so the classes mix across workers), trains the
 * network it is given from its current weights and updater state with the network's own updater,
 * and writes the master's parameters, updater state and iteration count back into the
 * {@code SparkDl4jMultiLayer}'s (or {@code SparkComputationGraph}'s) network. One {@code fit} is
 * {@code epochs} passes over the data (default 1, as DL4J's masters), or {@code steps} steps.
 *
 * <p>Consecutive {@code fit} calls continue one run ({@link Builder#continueAcrossFits}, default
 * true): after each fit the master keeps the engine's checkpoint of it (every worker's residuals,
 * compressor state and, with the optimizer on the workers, updater state; the protocol's shared
 * state such as PowerSGD's Q; the step counter), and the next fit resumes from it, so its epoch
 * index and minibatch order continue. Two fits of one epoch on the same RDD give bit for bit the
 * parameters of one fit of two epochs ({@link DataSetBlocks} cuts the same blocks from the same
 * RDD). The next fit starts afresh instead, saying why in the log (WARN) and in
 * {@link LastRun#start}, when the network is not the one the last fit wrote back: other
 * parameters or updater state (changed by the user between fits, or another network), another
 * parameter count or compression layout. A fit on data with a different number of steps per
 * epoch continues at the first step of the next epoch. The kept state costs the driver memory:
 * the master's parameters and updater state plus each worker's state (for Top-k with residuals
 * and Adam on the workers, about {@code 3 + 3 x workers} floats per parameter).
 *
 * <p>What makes no sense here: DL4J's training stats ({@code setCollectTrainingStats(true)}),
 * listeners and hooks (they run per minibatch inside DL4J's workers; use
 * {@link #addStepListener} for Lamina's per-step records) and training from paths throw
 * {@link UnsupportedOperationException}; {@code deleteTempFiles} has nothing to delete.
 */
public final class LaminaTrainingMaster implements TrainingMaster<LaminaTrainingWorker.Result, LaminaTrainingWorker> {

    /**
     * What the last {@code fit} did.
     *
     * @param firstStep the engine's step it started at: 0 when it started afresh, else where the
     *                  run it continues goes on (the steps so far, or the next epoch's first step
     *                  on data with another number of steps per epoch)
     * @param steps     the steps it ran; the byte counts are its own too
     * @param start     how it started, as logged: afresh (and why) or continued
     */
    public record LastRun(long firstStep, long steps, long uplinkBytes, long downlinkBytes, double finalLoss,
            String start) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(LaminaTrainingMaster.class);

    private final TrainConfig config;
    private final boolean continueAcrossFits;
    private final List<StepListener> stepListeners = new ArrayList<>();
    private LastRun lastRun;
    /** The state the next {@code fit} continues from; null before the first or after one that failed. */
    private CarriedState carried;

    private LaminaTrainingMaster(TrainConfig config, boolean continueAcrossFits) {
        this.config = config;
        this.continueAcrossFits = continueAcrossFits;
    }

    /** The engine settings (the model's are its own). */
    public TrainConfig config() {
        return config;
    }

    /** Receives every step's record (loss, bytes, times) of every later {@code fit}. */
    public LaminaTrainingMaster addStepListener(StepListener listener) {
        stepListeners.add(listener);
        return this;
    }

    /** The last {@code fit}'s totals; null before the first. */
    public LastRun lastRun() {
        return lastRun;
    }

    @Override
    public void executeTraining(SparkDl4jMultiLayer network, JavaRDD<DataSet> trainingData) {
        train(network.getSparkContext(), network.getNetwork(),
                w -> DataSetBlocks.of(trainingData, w, config.seed()));
    }

    @Override
    public void executeTraining(SparkComputationGraph graph, JavaRDD<DataSet> trainingData) {
        train(graph.getSparkContext(), graph.getNetwork(), w -> DataSetBlocks.of(trainingData, w, config.seed()));
    }

    @Override
    public void executeTrainingMDS(SparkComputationGraph graph, JavaRDD<MultiDataSet> trainingData) {
        train(graph.getSparkContext(), graph.getNetwork(),
                w -> DataSetBlocks.ofMultiDataSets(trainingData, w, config.seed()));
    }

    /** Trains {@code network} on the blocks and writes the result back into it. */
    private void train(JavaSparkContext sc, Model network, Function<Integer, TrainingBlocks> blocksFor) {
        ModelSource source = ModelSource.of(network); // checked against the data by the trainer
        CarriedState from = carried;
        carried = null; // a fit that fails leaves nothing to continue from
        TrainingBlocks blocks = blocksFor.apply(config.workers());
        DistributedTrainer trainer;
        long first = 0;
        String why;
        String start;
        try {
            int stepsPerEpoch = DistributedTrainer.stepsPerEpoch(config, blocks.smallestBlock(), blocks.examples());
            long steps = config.steps() > 0 ? config.steps() : (long) config.epochs() * stepsPerEpoch;
            Dl4jNet current = new Dl4jNet(network);
            why = from == null ? null : from.whyNot(current,
                    Granularity.parse(config.granularity()).apply(current.tensorLayout()), config.workers());
            if (from != null && why == null) {
                first = from.startStep(stepsPerEpoch);
            }
            start = describeStart(from, why, first, stepsPerEpoch);
            // the step counter runs on across fits: the minibatches derive from (seed, epoch, step, partition)
            trainer = new DistributedTrainer(sc, config.with(TrainSetting.STEPS, first + steps), blocks, source);
            if (first > 0) {
                trainer.resumeFrom(from.at(first));
            }
        } catch (RuntimeException e) {
            blocks.blocks().unpersist(false);
            throw e;
        }
        if (why != null) {
            LOG.warn("fit: {}", start);
        } else {
            LOG.info("fit: {}", start);
        }
        try {
            long up = trainer.uplinkBytes(); // the totals of the fits before, when continued
            long down = trainer.downlinkBytes();
            stepListeners.forEach(trainer::addListener);
            while (trainer.step() < trainer.totalSteps()) {
                trainer.runStep(false);
            }
            Dl4jNet fitted = trainer.master();
            Dl4jNet target = new Dl4jNet(network);
            target.setParams(fitted.params());
            target.setUpdaterState(fitted.updaterState());
            target.setIteration(fitted.iteration());
            // the epoch count is the caller's: SparkDl4jMultiLayer.fit adds one per call
            if (continueAcrossFits) {
                try {
                    carried = CarriedState.after(trainer, ResumeSettings.of(config));
                } catch (RuntimeException e) { // the fit itself is done and written back: do not fail it
                    LOG.warn("could not read the workers' state for the next fit, which will start afresh: {}",
                            e.toString());
                }
            }
            lastRun = new LastRun(first, trainer.step() - first, trainer.uplinkBytes() - up,
                    trainer.downlinkBytes() - down, trainer.lastLoss(), start);
        } finally {
            trainer.close();
        }
    }

    /** How a fit starts, as the log and {@link LastRun#start} say it. */
    private String describeStart(CarriedState from, String why, long first, int stepsPerEpoch) {
        String epoch = "step " + first + " (epoch " + first / stepsPerEpoch + ")";
        if (from == null) {
            return (continueAcrossFits ? "nothing to continue from (the first fit, or the last one failed or kept "
                    + "no state)" : "continueAcrossFits(false)") + ": the workers start afresh at " + epoch;
        }
        if (why != null) {
            return "the workers' state from the last fit is dropped and they start afresh at " + epoch + ": " + why;
        }
        String moved = first == from.steps() ? "" : " (the data gives " + stepsPerEpoch + " steps per epoch, the "
                + "last fit's " + from.stepsPerEpoch() + ": the next epoch starts at its first step)";
        return "continues at " + epoch + " with the workers' residuals, compressor and optimizer states of the last "
                + "fit" + moved;
    }

    @Override
    public LaminaTrainingWorker getWorkerInstance(SparkDl4jMultiLayer network) {
        return new LaminaTrainingWorker(network.getNetwork(), null, config.batchPerWorker());
    }

    @Override
    public LaminaTrainingWorker getWorkerInstance(SparkComputationGraph graph) {
        return new LaminaTrainingWorker(null, graph.getNetwork(), config.batchPerWorker());
    }

    @Override
    public void executeTrainingPaths(SparkDl4jMultiLayer network, SparkComputationGraph graph,
            JavaRDD<String> trainingDataPaths, DataSetLoader dsLoader, MultiDataSetLoader mdsLoader) {
        throw new UnsupportedOperationException("LaminaTrainingMaster trains from a JavaRDD<DataSet> or "
                + "JavaRDD<MultiDataSet>; load the paths into DataSets first (trainingDataPaths.map(...))");
    }

    @Override
    public void setCollectTrainingStats(boolean collect) {
        if (collect) {
            throw new UnsupportedOperationException("Lamina collects no DL4J training stats; use addStepListener "
                    + "for its per-step records (times, loss, bytes)");
        }
    }

    @Override
    public boolean getIsCollectTrainingStats() {
        return false;
    }

    /** Always null: Lamina collects no DL4J stats. */
    @Override
    public SparkTrainingStats getTrainingStats() {
        return null;
    }

    @Override
    public void setListeners(Collection<TrainingListener> listeners) {
        setListeners(null, listeners);
    }

    /** Only an empty set of listeners: DL4J's listeners run inside its own workers' {@code fit}. */
    @Override
    public void setListeners(StatsStorageRouter router, Collection<TrainingListener> listeners) {
        if (router != null || listeners != null && !listeners.isEmpty()) {
            throw new UnsupportedOperationException("DL4J training listeners and stats storage run inside DL4J's "
                    + "workers; Lamina's steps report through LaminaTrainingMaster.addStepListener");
        }
    }

    @Override
    public void addHook(TrainingHook hook) {
        throw new UnsupportedOperationException("training hooks run per minibatch in DL4J's workers; use "
                + "LaminaTrainingMaster.addStepListener");
    }

    @Override
    public void removeHook(TrainingHook hook) {
        throw new UnsupportedOperationException("training hooks run per minibatch in DL4J's workers; use "
                + "LaminaTrainingMaster.addStepListener");
    }

    /** The engine settings as JSON (summary.json's {@code config} keys). */
    @Override
    public String toJson() {
        return write(new ObjectMapper());
    }

    @Override
    public String toYaml() {
        return write(new ObjectMapper(new YAMLFactory()));
    }

    private String write(ObjectMapper mapper) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(config.toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the configuration", e);
        }
    }

    /** Nothing to delete: Lamina writes no temporary files. */
    @Override
    public boolean deleteTempFiles(JavaSparkContext sc) {
        return true;
    }

    /** Nothing to delete: Lamina writes no temporary files. */
    @Override
    public boolean deleteTempFiles(SparkContext sc) {
        return true;
    }

    /**
     * Settings with {@code lamina train}'s names and checks; defaults as there, except one epoch per
     * {@code fit}. The optimizer is the network's own.
     */
    public static final class Builder {
        private TrainConfig config = TrainConfig.defaults().with(TrainSetting.EPOCHS, 1)
                .with(TrainSetting.MODEL_FILE, TrainConfig.API_MODEL + "dl4j-spark");
        private boolean continueAcrossFits = true;

        /** Data-parallel workers (= Lamina's partitions, whatever the RDD's); >= 1. */
        public Builder workers(int workers) {
            return set(TrainSetting.WORKERS, workers, "workers");
        }

        /** Examples per worker per step. */
        public Builder batchSizePerWorker(int batch) {
            return set(TrainSetting.BATCH, batch, "batchSizePerWorker");
        }

        /** Passes over the data per {@code fit} (default 1). */
        public Builder epochs(int epochs) {
            return set(TrainSetting.EPOCHS, epochs, "epochs");
        }

        /** Steps per {@code fit}; overrides the epochs when > 0. */
        public Builder steps(long steps) {
            return set(TrainSetting.STEPS, steps, "steps");
        }

        /** {@code none}, {@code topk:0.01}, {@code qsgd:s=256}, ... as {@code --compressor}. */
        public Builder compressor(String spec) {
            return set(TrainSetting.COMPRESSOR, spec, "compressor");
        }

        /** {@code none}, {@code residual}, {@code efsign}, {@code dgc}, as {@code --memory}. */
        public Builder memory(String spec) {
            return set(TrainSetting.MEMORY, spec, "memory");
        }

        /** {@code layer}, {@code model}, {@code bucket:<elements>}; layers are the network's parameter tensors. */
        public Builder granularity(String spec) {
            return set(TrainSetting.GRANULARITY, spec, "granularity");
        }

        /** {@code auto}, {@code master} or {@code workers}, as {@code --optimizer-on}. */
        public Builder optimizerOn(String placement) {
            return set(TrainSetting.OPTIMIZER_ON, placement, "optimizerOn");
        }

        /** Seed of the partitioning and every minibatch (the weights are the network's). */
        public Builder seed(long seed) {
            return set(TrainSetting.SEED, seed, "seed");
        }

        public Builder checksumEvery(int steps) {
            return set(TrainSetting.CHECKSUM_EVERY, steps, "checksumEvery");
        }

        public Builder theoryEvery(int steps) {
            return set(TrainSetting.THEORY_EVERY, steps, "theoryEvery");
        }

        public Builder treeDepth(int depth) {
            return set(TrainSetting.TREE_DEPTH, depth, "treeDepth");
        }

        /**
         * Whether each {@code fit} continues where the last one stopped (default true): the
         * workers' residuals, compressor and optimizer states and the step counter (so the epoch
         * index and the minibatch order) carry over, as if the fits were one run. False: every
         * {@code fit} is a run of its own that starts the workers afresh and replays the first
         * epoch's minibatch order.
         */
        public Builder continueAcrossFits(boolean continueAcrossFits) {
            this.continueAcrossFits = continueAcrossFits;
            return this;
        }

        private Builder set(TrainSetting s, Object value, String method) {
            try {
                Object v = s.coerce(value);
                s.checkAlone(v);
                config = config.with(s, v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(method + "(" + value + "): " + e.getMessage(), e);
            }
            return this;
        }

        /** @throws IllegalArgumentException for settings that do not go together */
        public LaminaTrainingMaster build() {
            return new LaminaTrainingMaster(config.validate(), continueAcrossFits);
        }
    }
}
