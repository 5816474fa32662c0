package io.lamina.app.dl4j;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.TrainingResult;
import org.deeplearning4j.spark.api.TrainingWorker;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The {@code TrainingWorker} of {@link LaminaTrainingMaster}. DL4J's own masters run their worker
 * over each partition's minibatches; Lamina's workers are its engine's step tasks (one Spark job
 * per step, replicas kept on the executors, compressed messages merged in a tree), so this object
 * only describes the work: its configuration and the network it starts from. Every minibatch
 * method throws {@link UnsupportedOperationException} saying so.
 */
public final class LaminaTrainingWorker implements TrainingWorker<LaminaTrainingWorker.Result> {

    private static final long serialVersionUID = 1L;
    private static final String WHY = "Lamina's workers are its engine's step tasks: train through "
            + "LaminaTrainingMaster.executeTraining (SparkDl4jMultiLayer.fit / SparkComputationGraph.fit), "
            + "not minibatch by minibatch";

    /** No result travels through DL4J's path: the fitted parameters go straight into the network. */
    public static final class Result implements TrainingResult {
        @Override
        public void setStats(SparkTrainingStats stats) {
            throw new UnsupportedOperationException("Lamina collects no DL4J training stats");
        }
    }

    private final MultiLayerNetwork initial;
    private final ComputationGraph initialGraph;
    private final WorkerConfiguration configuration;
    private final long instanceId = java.util.concurrent.ThreadLocalRandom.current().nextLong();

    LaminaTrainingWorker(MultiLayerNetwork initial, ComputationGraph initialGraph, int batchPerWorker) {
        this.initial = initial;
        this.initialGraph = initialGraph;
        this.configuration = new WorkerConfiguration(initialGraph != null, batchPerWorker, batchPerWorker, 0, 0, false);
    }

    @Override
    public MultiLayerNetwork getInitialModel() {
        return initial;
    }

    @Override
    public ComputationGraph getInitialModelGraph() {
        return initialGraph;
    }

    @Override
    public WorkerConfiguration getDataConfiguration() {
        return configuration;
    }

    @Override
    public long getInstanceId() {
        return instanceId;
    }

    @Override
    public void addHook(TrainingHook hook) {
        throw new UnsupportedOperationException("training hooks: " + WHY);
    }

    @Override
    public void removeHook(TrainingHook hook) {
        throw new UnsupportedOperationException("training hooks: " + WHY);
    }

    @Override
    public Result processMinibatch(DataSet dataSet, MultiLayerNetwork network, boolean isLast) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public Result processMinibatch(DataSet dataSet, ComputationGraph graph, boolean isLast) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public Result processMinibatch(MultiDataSet dataSet, ComputationGraph graph, boolean isLast) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public Pair<Result, SparkTrainingStats> processMinibatchWithStats(DataSet dataSet, MultiLayerNetwork network,
            boolean isLast) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public Pair<Result, SparkTrainingStats> processMinibatchWithStats(DataSet dataSet, ComputationGraph graph,
            boolean isLast) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public Pair<Result, SparkTrainingStats> processMinibatchWithStats(MultiDataSet dataSet, ComputationGraph graph,
            boolean isLast) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public Result getFinalResult(MultiLayerNetwork network) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public Result getFinalResult(ComputationGraph graph) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public Result getFinalResultNoData() {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public Pair<Result, SparkTrainingStats> getFinalResultNoDataWithStats() {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public Pair<Result, SparkTrainingStats> getFinalResultWithStats(MultiLayerNetwork network) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public Pair<Result, SparkTrainingStats> getFinalResultWithStats(ComputationGraph graph) {
        throw new UnsupportedOperationException(WHY);
    }
}
