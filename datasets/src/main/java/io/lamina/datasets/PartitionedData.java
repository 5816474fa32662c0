package io.lamina.datasets;

import java.util.List;

/**
 * All workers' training blocks together, and the global view of their minibatches that a
 * single-JVM reference run needs to train on exactly the data the workers see.
 *
 * <p>Workers step in lockstep: global step {@code t} is step {@code t % S} of epoch {@code t / S},
 * where {@code S = stepsPerEpoch(b)} is the smallest {@link DataBlock#stepsPerEpoch} over the
 * blocks (they differ by at most one example, so usually all agree). The global minibatch of a step
 * is worker 0's minibatch, then worker 1's, and so on.
 */
public final class PartitionedData {
    private final List<DataBlock> blocks;

    /** Wraps blocks 0..N-1, in partition order. */
    public PartitionedData(List<DataBlock> blocks) {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("need at least one block");
        }
        DataBlock first = blocks.get(0);
        for (int p = 0; p < blocks.size(); p++) {
            DataBlock b = blocks.get(p);
            if (b.partition() != p) {
                throw new IllegalArgumentException("block at position " + p + " is partition " + b.partition());
            }
            if (!b.shape().equals(first.shape()) || b.numClasses() != first.numClasses()) {
                throw new IllegalArgumentException("block " + p + " does not match block 0 in shape or classes");
            }
        }
        this.blocks = List.copyOf(blocks);
    }

    public int numWorkers() {
        return blocks.size();
    }

    public DataBlock block(int partition) {
        return blocks.get(partition);
    }

    public List<DataBlock> blocks() {
        return blocks;
    }

    public int featureSize() {
        return blocks.get(0).featureSize();
    }

    public int numClasses() {
        return blocks.get(0).numClasses();
    }

    /** Steps per epoch all workers can take with per-worker batch {@code perWorkerBatch}. */
    public int stepsPerEpoch(int perWorkerBatch) {
        int steps = Integer.MAX_VALUE;
        for (DataBlock b : blocks) {
            steps = Math.min(steps, b.stepsPerEpoch(perWorkerBatch));
        }
        return steps;
    }

    /** The epoch that global step {@code globalStep} falls in. */
    public int epochOf(long globalStep, int perWorkerBatch) {
        checkStep(globalStep);
        return Math.toIntExact(globalStep / stepsPerEpoch(perWorkerBatch));
    }

    /** The step within its epoch of global step {@code globalStep}. */
    public int stepInEpochOf(long globalStep, int perWorkerBatch) {
        checkStep(globalStep);
        return (int) (globalStep % stepsPerEpoch(perWorkerBatch));
    }

    /**
     * Copies the global minibatch of (epoch, stepInEpoch): the concatenation of every worker's
     * minibatch, in partition order, {@code numWorkers * perWorkerBatch} examples, features
     * row-major and labels one-hot.
     */
    public void fillGlobalBatch(int epoch, int stepInEpoch, int perWorkerBatch, float[] featuresOut,
                                float[] labelsOneHotOut) {
        int steps = stepsPerEpoch(perWorkerBatch);
        if (stepInEpoch < 0 || stepInEpoch >= steps) {
            throw new IllegalArgumentException("stepInEpoch must be in 0.." + (steps - 1) + ", got " + stepInEpoch);
        }
        int featuresPerWorker = perWorkerBatch * featureSize();
        int labelsPerWorker = perWorkerBatch * numClasses();
        for (int p = 0; p < blocks.size(); p++) {
            blocks.get(p).fillBatch(epoch, stepInEpoch, perWorkerBatch,
                    featuresOut, p * featuresPerWorker, labelsOneHotOut, p * labelsPerWorker);
        }
    }

    /** {@link #fillGlobalBatch(int, int, int, float[], float[])} for global step {@code globalStep}. */
    public void fillGlobalBatch(long globalStep, int perWorkerBatch, float[] featuresOut, float[] labelsOneHotOut) {
        fillGlobalBatch(epochOf(globalStep, perWorkerBatch), stepInEpochOf(globalStep, perWorkerBatch),
                perWorkerBatch, featuresOut, labelsOneHotOut);
    }

    private static void checkStep(long globalStep) {
        if (globalStep < 0) {
            throw new IllegalArgumentException("globalStep must be >= 0, got " + globalStep);
        }
    }
}
