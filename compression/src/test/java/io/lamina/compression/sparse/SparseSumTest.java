package io.lamina.compression.sparse;

import io.lamina.compression.message.DenseMessageSerializer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.compression.Message;
import io.lamina.compression.message.DenseMessage;
import io.lamina.compression.message.ValuePrecision;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SparseSumTest {

    private static SparseMessage random(int n, double density, ValuePrecision p, Random r) {
        int[] idx = new int[n];
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (r.nextDouble() < density) {
                idx[c++] = i;
            }
        }
        float[] v = new float[c];
        for (int j = 0; j < c; j++) {
            v[j] = p.round((float) r.nextGaussian());
        }
        return new SparseMessage(n, Arrays.copyOf(idx, c), v, p, 1);
    }

    private static float[] dense(Message m) {
        float[] d = new float[m.length()];
        SparseSum.decode(m, d, 0);
        return d;
    }

    @Test
    void treeMergeEqualsTheDenseReferenceAndSwitchesToDenseWhenSmaller() {
        Random r = new Random(3);
        int n = 10_000;
        for (double density : new double[] {0.001, 0.01, 0.05, 0.2, 0.6}) {
            Message[] ms = new Message[8];
            double[] ref = new double[n];
            for (int w = 0; w < 8; w++) {
                ms[w] = random(n, density, ValuePrecision.FP32, r);
                float[] d = dense(ms[w]);
                for (int i = 0; i < n; i++) {
                    ref[i] += d[i];
                }
            }
            // a tree: ((0+1)+(2+3)) + ((4+5)+(6+7))
            Message[] level = ms;
            while (level.length > 1) {
                Message[] next = new Message[level.length / 2];
                for (int i = 0; i < next.length; i++) {
                    next[i] = SparseSum.merge(level[2 * i], level[2 * i + 1]);
                    checkSmallest(next[i]);
                }
                level = next;
            }
            Message agg = level[0];
            assertEquals(8, agg.workers());
            float[] mean = new float[n];
            SparseSum.finish(agg, mean, 0);
            for (int i = 0; i < n; i++) {
                assertEquals(ref[i] / 8, mean[i], 1e-5, "density " + density + " element " + i);
            }
            if (density <= 0.01) {
                assertInstanceOf(SparseMessage.class, agg, "sparse union stays sparse at density " + density);
            }
            if (density >= 0.6) {
                assertInstanceOf(DenseMessage.class, agg, "a large union becomes dense at density " + density);
            }
        }
    }

    /** A sparse result must be smaller than dense; a dense result must not be larger than its sparse form. */
    private static void checkSmallest(Message m) {
        long dense = DenseMessageSerializer.size(m.length(), m.workers());
        if (m instanceof SparseMessage s) {
            assertTrue(SparseMessageSerializer.wireSize(s) < dense);
        } else {
            float[] d = ((DenseMessage) m).values();
            int[] idx = java.util.stream.IntStream.range(0, d.length).filter(i -> d[i] != 0).toArray();
            float[] v = new float[idx.length];
            for (int j = 0; j < idx.length; j++) {
                v[j] = d[idx[j]];
            }
            SparseMessage asSparse = new SparseMessage(d.length, idx, v, ValuePrecision.FP32, m.workers());
            assertTrue(SparseMessageSerializer.wireSize(asSparse) >= dense,
                    "went dense although sparse was smaller");
        }
    }

    @Test
    void mixedSparseAndDenseMergeWithoutTouchingTheRightOperand() {
        Random r = new Random(4);
        SparseMessage s = random(1000, 0.05, ValuePrecision.FP32, r);
        float[] dv = new float[1000];
        for (int i = 0; i < dv.length; i++) {
            dv[i] = i;
        }
        DenseMessage d = new DenseMessage(dv.clone(), 2);
        Message sd = SparseSum.merge(s, d);
        assertArrayEquals(dv, d.values(), "right operand untouched");
        Message ds = SparseSum.merge(new DenseMessage(dv.clone(), 2), s);
        assertInstanceOf(DenseMessage.class, sd);
        assertEquals(3, sd.workers());
        float[] sparse = dense(s);
        for (int i = 0; i < 1000; i++) {
            assertEquals(i + sparse[i], dense(sd)[i]);
            assertEquals(i + sparse[i], dense(ds)[i]);
        }
    }

    @Test
    void mergedPrecisionIsTheNarrowestThatStaysExact() {
        float a = ValuePrecision.FP16.round(1.0009766f);
        SparseMessage x = new SparseMessage(100, new int[] {1, 5}, new float[] {a, 2f}, ValuePrecision.FP16, 1);
        SparseMessage y = new SparseMessage(100, new int[] {7}, new float[] {3f}, ValuePrecision.FP16, 1);
        SparseMessage disjoint = (SparseMessage) SparseSum.merge(x, y);
        assertEquals(ValuePrecision.FP16, disjoint.precision());
        assertArrayEquals(new int[] {1, 5, 7}, disjoint.indices());
        // 1.0009766 + 2048 is not an fp16 number: the merge keeps it exactly in fp32
        SparseMessage z = new SparseMessage(100, new int[] {1}, new float[] {2048f}, ValuePrecision.FP16, 1);
        SparseMessage overlap = (SparseMessage) SparseSum.merge(x, z);
        assertEquals(ValuePrecision.FP32, overlap.precision());
        assertEquals(a + 2048f, overlap.values()[0]);
        assertEquals(2, overlap.workers());
    }
}
