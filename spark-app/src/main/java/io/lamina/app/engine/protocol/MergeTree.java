package io.lamina.app.engine.protocol;

import java.io.Serializable;

/**
 * The fixed order in which the workers' results of a round are summed, so that a seed gives the
 * same bits whatever order Spark's tasks finish in: a {@code fanout}-ary tree over the partition
 * indices 0..workers-1, in which every node is the left-to-right sum of its children. A node at
 * level L covers [k f^L, min((k+1) f^L, workers)).
 *
 * <p>Partial results are contiguous ranges [lo, hi) of partitions: a complete node, or a prefix
 * of a node's children. {@link #joins} says when two ranges may be summed: when the right one is
 * a complete node and the left one is the prefix of that node's parent that ends where it
 * starts. Any arrival order then produces the same sums with the same brackets.
 */
public record MergeTree(int workers, int fanout) implements Serializable {

    public MergeTree {
        if (workers < 1 || fanout < 2) {
            throw new IllegalArgumentException("merge tree needs workers >= 1 and fanout >= 2, got " + workers
                    + " and " + fanout);
        }
    }

    /** The tree for {@code workers} partitions reduced in {@code depth} levels (Spark's treeReduce depth). */
    public static MergeTree of(int workers, int depth) {
        int fanout = Math.max(2, (int) Math.ceil(Math.pow(workers, 1.0 / Math.max(1, depth)) - 1e-9));
        return new MergeTree(workers, fanout);
    }

    /** Whether the range [lo, hi) directly followed by [hi, hi2) may be summed as (left + right). */
    public boolean joins(int lo, int hi, int hi2) {
        for (long size = 1; size < 2L * workers * fanout; size *= fanout) {
            boolean complete = hi % size == 0 && hi2 == Math.min(hi + size, workers);
            if (complete && lo == hi - hi % (size * fanout)) {
                return true;
            }
            if (hi % size != 0) {
                return false;
            }
        }
        return false;
    }

    /** The group a complete node starting at {@code lo} belongs to after {@code level} intermediate levels. */
    public int group(int lo, int level) {
        return (int) (lo / (long) Math.pow(fanout, level));
    }

    /**
     * How many intermediate levels run on executors before the driver sums the rest: as in Spark's
     * treeReduce, one more level while it leaves the driver fewer results than it costs.
     */
    public int intermediateLevels() {
        int levels = 0;
        int n = workers;
        while (n > fanout + (n + fanout - 1) / fanout) {
            n = (n + fanout - 1) / fanout;
            levels++;
        }
        return levels;
    }

    /** Number of groups after {@code level} intermediate levels. */
    public int groups(int level) {
        long size = (long) Math.pow(fanout, level);
        return (int) ((workers + size - 1) / size);
    }
}
