package io.lamina.app.dl4j;

import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.app.engine.driver.StepListener;
import io.lamina.app.engine.driver.TrainingBlocks;
import io.lamina.app.model.Dl4jNet;
import io.lamina.app.model.ModelSource;
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
 * Each {@code fit} is a run of its own: the workers' residuals and optimizer states (with the
 * optimizer on the workers) start afresh and the minibatch order restarts, so several epochs are
 * better given to one {@code fit} (README, "From DL4J's Spark API", has the figures).
 *
 * <p>What makes no sense here: DL4J's training stats ({@code setCollectTrainingStats(true)}),
 * listeners and hooks (they run per minibatch inside DL4J's workers; use
 * {@link #addStepListener} for Lamina's per-step records) and training from paths throw
 * {@link UnsupportedOperationException}; {@code deleteTempFiles} has nothing to delete.
 */
public final class LaminaTrainingMaster implements TrainingMaster<LaminaTrainingWorker.Result, LaminaTrainingWorker> {

    /** What the last {@code fit} did. */
    public record LastRun(long steps, long uplinkBytes, long downlinkBytes, double finalLoss) {
    }

    private final TrainConfig config;
    private final List<StepListener> stepListeners = new ArrayList<>();
    private LastRun lastRun;

    private LaminaTrainingMaster(TrainConfig config) {
        this.config = config;
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
        TrainingBlocks blocks = blocksFor.apply(config.workers());
        DistributedTrainer trainer;
        try {
            trainer = new DistributedTrainer(sc, config, blocks, source);
        } catch (RuntimeException e) {
            blocks.blocks().unpersist(false);
            throw e;
        }
        try {
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
            lastRun = new LastRun(trainer.step(), trainer.uplinkBytes(), trainer.downlinkBytes(), trainer.lastLoss());
        } finally {
            trainer.close();
        }
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
            return new LaminaTrainingMaster(config.validate());
        }
    }
}
