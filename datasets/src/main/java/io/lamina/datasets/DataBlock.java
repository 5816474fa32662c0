package io.lamina.datasets;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One worker's share of the training set, as flat contiguous arrays, plus the recipe for its
 * minibatches. Made by {@link Partitioner}.
 *
 * <p>Minibatches are deterministic: within epoch {@code e} the block's examples are visited in a
 * permutation seeded only by (seed, e, partition index), so a rerun Spark task on any JVM gets
 * exactly the same data for (epoch, step, batchSize). Step {@code s} of an epoch uses positions
 * {@code s*batchSize .. (s+1)*batchSize-1} of that permutation; the last incomplete batch is
 * dropped. The permutation of the current epoch is cached, so a batch costs O(batchSize).
 *
 * <p>Serializable (Spark caches it); the arrays are shared, not copied, by the accessors. Safe to
 * use from several threads.
 */
public final class DataBlock implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Salt that separates per-epoch streams from the partitioning stream. */
    private static final long EPOCH_STREAM = 0x45504f4348L; // "EPOCH"

    private final int partition;
    private final long seed;
    private final float[] features;
    private final int[] labels;
    private final int[] sourceIndices;
    private final int numClasses;
    private final ImageShape shape;

    /** The permutation of the last epoch asked for; rebuilt after deserialization. */
    private transient volatile EpochOrder cached;

    private record EpochOrder(int epoch, int[] order) {
    }

    /**
     * A block holding {@code data} as partition {@code partition}. {@code sourceIndices[i]} is the
     * index of example i in the data set the block was cut from (for tests and tracing).
     */
    public DataBlock(int partition, long seed, LabeledData data, int[] sourceIndices) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, got " + partition);
        }
        if (data.numExamples() < 1) {
            throw new IllegalArgumentException("a data block needs at least one example");
        }
        if (sourceIndices.length != data.numExamples()) {
            throw new IllegalArgumentException("sourceIndices has " + sourceIndices.length + " entries for "
                    + data.numExamples() + " examples");
        }
        this.partition = partition;
        this.seed = seed;
        this.features = data.features();
        this.labels = data.labels();
        this.sourceIndices = sourceIndices;
        this.numClasses = data.numClasses();
        this.shape = data.shape();
    }

    public int partition() {
        return partition;
    }

    public long seed() {
        return seed;
    }

    public int numExamples() {
        return labels.length;
    }

    public int featureSize() {
        return shape.size();
    }

    public int numClasses() {
        return numClasses;
    }

    public ImageShape shape() {
        return shape;
    }

    /** Index of each example of this block in the data set it was cut from; not a copy. */
    public int[] sourceIndices() {
        return sourceIndices;
    }

    /** The block's examples in storage order, sharing this block's arrays. */
    public LabeledData data() {
        return new LabeledData(features, labels, numClasses, shape);
    }

    /** Full minibatches per epoch: {@code floor(numExamples / batchSize)}. */
    public int stepsPerEpoch(int batchSize) {
        checkBatchSize(batchSize);
        return labels.length / batchSize;
    }

    /** A copy of the order in which epoch {@code epoch} visits this block's examples. */
    public int[] epochOrder(int epoch) {
        return order(epoch).clone();
    }

    /** Block-local indices of the examples in minibatch (epoch, stepInEpoch). */
    public int[] batchIndices(int epoch, int stepInEpoch, int batchSize) {
        int start = batchStart(epoch, stepInEpoch, batchSize);
        return Arrays.copyOfRange(order(epoch), start, start + batchSize);
    }

    /**
     * Copies minibatch (epoch, stepInEpoch) into caller-owned arrays: features row-major into
     * {@code featuresOut[0 .. batchSize*featureSize)} and one-hot labels into
     * {@code labelsOneHotOut[0 .. batchSize*numClasses)}. Nothing is allocated once the epoch's
     * permutation is cached.
     *
     * @throws IllegalArgumentException if batchSize is not in 1..numExamples, stepInEpoch is not in
     *                                  0..stepsPerEpoch-1, epoch is negative or an array is too short
     */
    public void fillBatch(int epoch, int stepInEpoch, int batchSize, float[] featuresOut, float[] labelsOneHotOut) {
        fillBatch(epoch, stepInEpoch, batchSize, featuresOut, 0, labelsOneHotOut, 0);
    }

    /**
     * Like {@link #fillBatch(int, int, int, float[], float[])}, writing from the given offsets, so
     * that several blocks' batches can be laid side by side in one array.
     */
    public void fillBatch(int epoch, int stepInEpoch, int batchSize, float[] featuresOut, int featuresOffset,
                          float[] labelsOneHotOut, int labelsOffset) {
        int start = batchStart(epoch, stepInEpoch, batchSize);
        int f = featureSize();
        checkRoom("featuresOut", featuresOut, featuresOffset, (long) batchSize * f);
        checkRoom("labelsOneHotOut", labelsOneHotOut, labelsOffset, (long) batchSize * numClasses);
        int[] order = order(epoch);
        Arrays.fill(labelsOneHotOut, labelsOffset, labelsOffset + batchSize * numClasses, 0f);
        for (int i = 0; i < batchSize; i++) {
            int example = order[start + i];
            System.arraycopy(features, example * f, featuresOut, featuresOffset + i * f, f);
            labelsOneHotOut[labelsOffset + i * numClasses + labels[example]] = 1f;
        }
    }

    /** Copies the class labels (not one-hot) of minibatch (epoch, stepInEpoch) into {@code labelsOut}. */
    public void fillBatchLabels(int epoch, int stepInEpoch, int batchSize, int[] labelsOut) {
        int start = batchStart(epoch, stepInEpoch, batchSize);
        checkRoom("labelsOut", labelsOut.length, 0, batchSize);
        int[] order = order(epoch);
        for (int i = 0; i < batchSize; i++) {
            labelsOut[i] = labels[order[start + i]];
        }
    }

    private int batchStart(int epoch, int stepInEpoch, int batchSize) {
        int steps = stepsPerEpoch(batchSize);
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        if (stepInEpoch < 0 || stepInEpoch >= steps) {
            throw new IllegalArgumentException("stepInEpoch must be in 0.." + (steps - 1) + " (partition "
                    + partition + " has " + labels.length + " examples, batch size " + batchSize + "), got "
                    + stepInEpoch);
        }
        return stepInEpoch * batchSize;
    }

    private void checkBatchSize(int batchSize) {
        if (batchSize < 1 || batchSize > labels.length) {
            throw new IllegalArgumentException("batchSize must be in 1.." + labels.length + " (the examples in partition "
                    + partition + "), got " + batchSize);
        }
    }

    private static void checkRoom(String name, float[] out, int offset, long needed) {
        Objects.requireNonNull(out, name);
        checkRoom(name, out.length, offset, needed);
    }

    private static void checkRoom(String name, int length, int offset, long needed) {
        if (offset < 0 || offset + needed > length) {
            throw new IllegalArgumentException(name + " is too short: needs " + needed + " values from offset "
                    + offset + ", has length " + length);
        }
    }

    private int[] order(int epoch) {
        EpochOrder c = cached;
        if (c == null || c.epoch != epoch) {
            // racing threads may both compute it; the result is the same, so either may win
            SeededRandom rng = new SeededRandom(SeededRandom.derive(seed, EPOCH_STREAM, epoch, partition));
            c = new EpochOrder(epoch, rng.permutation(labels.length));
            cached = c;
        }
        return c.order;
    }

    @Override
    public String toString() {
        return "DataBlock[partition " + partition + ", " + labels.length + " examples of " + shape + "]";
    }
}
