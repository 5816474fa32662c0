package io.lamina.datasets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits data across workers.
 *
 * <p>Training: the whole set is shuffled once with a permutation seeded by {@code seed} (so the
 * classes mix across workers), then cut into {@code numWorkers} contiguous runs of that order whose
 * sizes differ by at most one (the first {@code n % numWorkers} blocks get one extra example).
 * Every example lands in exactly one block. Evaluation: the test set is cut into contiguous slices
 * in its stored order, without shuffling.
 */
public final class Partitioner {
    /** Salt that separates the partitioning shuffle from the per-epoch streams. */
    private static final long PARTITION_STREAM = 0x5041525449L; // "PARTI"

    private Partitioner() {
    }

    /** All {@code numWorkers} training blocks. */
    public static PartitionedData partition(LabeledData data, int numWorkers, long seed) {
        checkWorkers(data.numExamples(), numWorkers);
        int[] order = shuffledOrder(data.numExamples(), seed);
        List<DataBlock> blocks = new ArrayList<>(numWorkers);
        for (int p = 0; p < numWorkers; p++) {
            blocks.add(cut(data, order, numWorkers, p, seed));
        }
        return new PartitionedData(blocks);
    }

    /**
     * Only block {@code partition} of {@link #partition}: the same block, built without the others
     * (e.g. on the executor that owns it).
     */
    public static DataBlock block(LabeledData data, int numWorkers, int partition, long seed) {
        checkWorkers(data.numExamples(), numWorkers);
        if (partition < 0 || partition >= numWorkers) {
            throw new IllegalArgumentException("partition must be in 0.." + (numWorkers - 1) + ", got " + partition);
        }
        return cut(data, shuffledOrder(data.numExamples(), seed), numWorkers, partition, seed);
    }

    /** The seeded order of {@code 0..n-1} that {@link #partition} cuts into blocks. */
    public static int[] shuffledOrder(int n, long seed) {
        return new SeededRandom(SeededRandom.derive(seed, PARTITION_STREAM)).permutation(n);
    }

    /** First position of part {@code p} when {@code n} items are cut into {@code parts} near-equal runs. */
    public static int partStart(int n, int parts, int p) {
        int base = n / parts;
        int extra = n % parts;
        return p * base + Math.min(p, extra);
    }

    /** Size of part {@code p} when {@code n} items are cut into {@code parts} near-equal runs. */
    public static int partSize(int n, int parts, int p) {
        return n / parts + (p < n % parts ? 1 : 0);
    }

    /**
     * The test set cut into {@code numWorkers} contiguous slices (stored order, sizes within one; a
     * slice is empty when there are more workers than examples), for distributed evaluation.
     */
    public static List<LabeledData> evaluationSlices(LabeledData test, int numWorkers) {
        if (numWorkers < 1) {
            throw new IllegalArgumentException("numWorkers must be >= 1, got " + numWorkers);
        }
        int n = test.numExamples();
        List<LabeledData> slices = new ArrayList<>(numWorkers);
        for (int p = 0; p < numWorkers; p++) {
            int from = partStart(n, numWorkers, p);
            slices.add(test.slice(from, from + partSize(n, numWorkers, p)));
        }
        return slices;
    }

    private static DataBlock cut(LabeledData data, int[] order, int numWorkers, int p, long seed) {
        int from = partStart(order.length, numWorkers, p);
        int[] indices = Arrays.copyOfRange(order, from, from + partSize(order.length, numWorkers, p));
        return new DataBlock(p, seed, data.select(indices), indices);
    }

    private static void checkWorkers(int n, int numWorkers) {
        if (numWorkers < 1 || numWorkers > n) {
            throw new IllegalArgumentException("numWorkers must be in 1.." + n + " (the number of examples), got "
                    + numWorkers);
        }
    }
}
