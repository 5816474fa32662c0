package io.lamina.compression.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import io.lamina.compression.Compressor;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.Layout;
import io.lamina.compression.method.WireFormat;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {

    /** The slow obvious reference: sort indices by |x| descending, then index ascending. */
    static int[] reference(float[] x, int off, int len, int k) {
        Integer[] order = IntStream.range(0, len).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> TopKSelector.key(x[off + i])).reversed()
                .thenComparingInt(i -> i));
        int[] top = new int[k];
        for (int j = 0; j < k; j++) {
            top[j] = order[j];
        }
        Arrays.sort(top);
        return top;
    }

    /** Vectors with many exact ties: small integers, and a Gaussian one. */
    static float[] data(int n, long seed, boolean ties) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = ties ? r.nextInt(9) - 4 : (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void selectionIsExactIncludingTiesAtManySizes() {
        int[] sizes = {1, 2, 3, 7, 64, 1000, 40_000, 300_000};
        for (int n : sizes) {
            for (boolean ties : new boolean[] {false, true}) {
                float[] x = data(n + 5, n * 31L + (ties ? 1 : 0), ties);
                for (int k : new int[] {1, 2, Math.max(1, n / 100), Math.max(1, n / 10), n / 2 + 1, n}) {
                    k = Math.min(k, n);
                    Selection s = TopKSelector.select(x, 5, n, k);
                    assertEquals(k, s.count, "count n=" + n + " k=" + k);
                    int[] expected = reference(x, 5, n, k);
                    assertArrayEquals(expected, Arrays.copyOf(s.indices, s.count), "n=" + n + " k=" + k + " ties=" + ties);
                    for (int j = 0; j < k; j++) {
                        assertEquals(x[5 + s.indices[j]], s.values[j]);
                    }
                }
            }
        }
    }

    @Test
    void aWrongThresholdGuessStillGivesTheExactAnswer() {
        float[] x = data(100_000, 5, false);
        int k = 1000;
        int[] expected = reference(x, 0, x.length, k);
        // too high (nothing passes): falls back to the full radix select; too low (everything passes)
        for (int guess : new int[] {Integer.MAX_VALUE, TopKSelector.key(3.5f), TopKSelector.key(2.3f), 0}) {
            for (boolean vector : new boolean[] {false, true}) {
                Selection s = TopKSelector.selectWithGuess(x, 0, x.length, k, guess, vector);
                assertArrayEquals(expected, Arrays.copyOf(s.indices, s.count), "guess " + guess + " vector " + vector);
            }
        }
        // all equal: ties decided purely by index
        float[] flat = new float[50_000];
        Arrays.fill(flat, -2f);
        Selection s = TopKSelector.select(flat, 0, flat.length, 500);
        assertArrayEquals(IntStream.range(0, 500).toArray(), Arrays.copyOf(s.indices, s.count));
    }

    @Test
    void vectorCandidatePassEqualsScalarOnSpecialValues() {
        // NaN ranks above infinity and -0 with +0: the int-key order, on both paths
        for (int n : new int[] {37, 4095, 4097, 50_003}) {
            float[] x = io.lamina.compression.simd.KernelInputs.mixed(n + 3, n, 7);
            int k = Math.max(1, n / 100);
            int[] expected = reference(x, 3, n, k);
            int guess = TopKSelector.sampleThreshold(x, 3, n, k);
            for (boolean vector : new boolean[] {false, true}) {
                Selection s = TopKSelector.selectWithGuess(x, 3, n, k, guess, vector);
                assertArrayEquals(expected, Arrays.copyOf(s.indices, s.count), "n=" + n + " vector=" + vector);
            }
        }
    }

    @Test
    void contractionBoundHoldsAndDecodeRoundTripsExactlyInFp32() {
        Kryo kryo = WireFormat.newKryo();
        for (int n : new int[] {1, 10, 999, 50_000}) {
            float[] x = data(n, n, false);
            for (double ratio : new double[] {0.001, 0.01, 0.1, 0.5, 1}) {
                Compressor c = Compressors.parse("topk:ratio=" + ratio + ",values=fp32").create(Layout.single("w", n));
                SparseMessage m = (SparseMessage) c.encode(x, 0, n, WireTestSupport.ctx(1, 0, 0));
                int k = (int) Math.max(1, Math.min(n, Math.round(ratio * n)));
                assertEquals(k, m.count());
                SparseMessage back = WireTestSupport.read(kryo, WireTestSupport.write(kryo, m), SparseMessage.class);
                float[] d = new float[n];
                c.decode(back, d, 0);
                double err = 0;
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    assertTrue(d[i] == 0 || d[i] == x[i], "decoded values are the selected ones");
                    err += (double) (x[i] - d[i]) * (x[i] - d[i]);
                    norm += (double) x[i] * x[i];
                }
                assertTrue(err <= (1 - (double) k / n) * norm * (1 + 1e-12) + 1e-30,
                        "contraction n=" + n + " k=" + k + ": " + err + " > " + (1 - (double) k / n) * norm);
            }
        }
    }

    @Test
    void specsParseCanonicallyAndRejectBadValues() {
        assertEquals("topk:ratio=0.01,values=fp16", Compressors.parse("topk:0.01").spec());
        assertEquals("topk:k=100,values=fp32", Compressors.parse("topk:k=100,values=fp32").spec());
        assertEquals("topk:ratio=0.01,values=fp16,dense_below=1024",
                Compressors.parse("topk:0.01,dense_below=1024").spec());
        String s = Compressors.parse("topk:0.01,dense_below=1024").spec();
        assertEquals(s, Compressors.parse(s).spec());
        for (String bad : new String[] {"topk:0", "topk:1.5", "topk:k=0", "topk:ratio=0.1,k=3", "topk:values=fp8",
            "topk:0.1,foo=1", "topk:0.1,dense_below=0"}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Compressors.parse(bad), bad);
            assertTrue(e.getMessage().contains("allowed") || e.getMessage().contains("not both")
                    || e.getMessage().contains("out of range"), bad + ": " + e.getMessage());
        }
    }
}
