package io.lamina.app.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.RoundProtocol;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.message.DenseMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Summing the workers' results in the merge tree's order gives the same bits whatever order they
 * arrive in, and those bits are the slow reference's: a recursive left-to-right fold over the
 * f-ary tree of partitions.
 */
class MergeTreeTest {

    private static final int LENGTH = 64;
    private final RoundProtocol none = RoundProtocol.of(Compressors.parse("none").create(Layout.single("w", LENGTH)));

    /** Values whose float sum depends on the order: magnitudes from 1e-4 to 1e4. */
    private static float[][] gradients(int workers, long seed) {
        Random r = new Random(seed);
        float[][] g = new float[workers][LENGTH];
        for (float[] v : g) {
            for (int i = 0; i < LENGTH; i++) {
                v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
            }
        }
        return g;
    }

    private static Aggregate leaf(int p, int workers, float[] values) {
        Telemetry t = new Telemetry(0, 1, 0, 0, 0, 0, 0, null, null, 0, null);
        return Aggregate.of(new Uplink(3, 0, p, new Message[] {new DenseMessage(values.clone(), 1)}, 0.5 + p, 0, 0, t),
                workers);
    }

    /** Merges the leaves in a random order, pairing random partial results, as a tree of Spark tasks might. */
    private float[] mergeInRandomOrder(float[][] g, MergeTree tree, long seed) {
        Random r = new Random(seed);
        List<Aggregate> pool = new ArrayList<>();
        for (int p = 0; p < g.length; p++) {
            pool.add(leaf(p, g.length, g[p]));
        }
        Collections.shuffle(pool, r);
        while (pool.size() > 1) {
            Aggregate a = pool.remove(r.nextInt(pool.size()));
            Aggregate b = pool.remove(r.nextInt(pool.size()));
            pool.add(Aggregate.merge(a, b, none, tree));
        }
        return ((DenseMessage) pool.get(0).segments()[0]).values();
    }

    /** The slow reference: node [lo, hi) at level L is the left fold of its children at level L-1. */
    private static float[] reference(float[][] g, int fanout, int lo, int hi, long size) {
        if (size == 1) {
            return g[lo].clone();
        }
        long child = size / fanout;
        float[] sum = null;
        for (long c = lo; c < hi; c += child) {
            float[] part = reference(g, fanout, (int) c, (int) Math.min(c + child, hi), child);
            if (sum == null) {
                sum = part;
            } else {
                for (int i = 0; i < LENGTH; i++) {
                    sum[i] += part[i];
                }
            }
        }
        return sum;
    }

    private static long rootSize(int workers, int fanout) {
        long size = 1;
        while (size < workers) {
            size *= fanout;
        }
        return size;
    }

    @Test
    void anyArrivalOrderGivesTheReferenceBits() {
        for (int workers = 1; workers <= 13; workers++) {
            for (int depth = 1; depth <= 3; depth++) {
                MergeTree tree = MergeTree.of(workers, depth);
                float[][] g = gradients(workers, 100 + workers);
                float[] expected = reference(g, tree.fanout(), 0, workers, rootSize(workers, tree.fanout()));
                for (long order = 0; order < 20; order++) {
                    assertArrayEquals(expected, mergeInRandomOrder(g, tree, order),
                            "workers " + workers + ", depth " + depth + ", order " + order);
                }
            }
        }
    }

    @Test
    void theOrderMattersForPlainFloatSums() {
        // Shows the test above could fail: summing these in arrival order gives other bits.
        float[][] g = gradients(8, 108);
        float[] forward = new float[LENGTH];
        float[] backward = new float[LENGTH];
        for (int p = 0; p < 8; p++) {
            for (int i = 0; i < LENGTH; i++) {
                forward[i] += g[p][i];
                backward[i] += g[7 - p][i];
            }
        }
        assertNotEquals(java.util.Arrays.toString(forward), java.util.Arrays.toString(backward));
    }

    @Test
    void lossesAreSummedInTheTreeOrderToo() {
        float[][] g = gradients(5, 7);
        MergeTree tree = MergeTree.of(5, 2);
        Aggregate a = Aggregate.merge(Aggregate.merge(leaf(4, 5, g[4]), leaf(0, 5, g[0]), none, tree),
                Aggregate.merge(leaf(2, 5, g[2]), Aggregate.merge(leaf(3, 5, g[3]), leaf(1, 5, g[1]), none, tree),
                        none, tree), none, tree);
        assertEquals(5, a.workers());
        assertEquals((0.5 + 1.5 + 2.5 + 3.5 + 4.5) / 5, a.meanLoss(), 1e-12);
    }

    @Test
    void anIncompleteOrDuplicatedMergeIsAnError() {
        float[][] g = gradients(3, 1);
        MergeTree tree = MergeTree.of(3, 2);
        Aggregate partial = Aggregate.merge(leaf(0, 3, g[0]), leaf(2, 3, g[2]), none, tree);
        assertThrows(IllegalStateException.class, partial::segments, "partition 1 is missing");
        assertThrows(IllegalStateException.class, () -> Aggregate.merge(partial, leaf(2, 3, g[2]), none, tree));
    }

    @Test
    void intermediateLevelsFollowSparksTreeReduce() {
        assertEquals(0, MergeTree.of(2, 2).intermediateLevels());
        assertEquals(0, MergeTree.of(4, 2).intermediateLevels());
        assertEquals(1, MergeTree.of(8, 2).intermediateLevels()); // 8 > 3 + 3: one level of 3 groups
        assertEquals(3, MergeTree.of(8, 2).groups(1));
        assertEquals(0, MergeTree.of(8, 1).intermediateLevels());
    }
}
