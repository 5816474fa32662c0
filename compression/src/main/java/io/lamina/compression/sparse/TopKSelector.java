package io.lamina.compression.sparse;

import io.lamina.compression.Seeds;
import io.lamina.compression.simd.Simd;
import io.lamina.compression.simd.VectorKernels;
import java.util.Arrays;

/**
 * Exact Top-k by magnitude: the k elements with the largest {@code |x_i|}, ties broken by the
 * lower index, returned in index order. The answer is exact and deterministic; only the speed
 * depends on the data.
 *
 * <p>Magnitudes are compared as the int bits of {@code |x|} ({@code floatToRawIntBits(x) &
 * 0x7FFFFFFF}), which orders non-negative floats exactly (NaN ranks above infinity).
 *
 * <p>Large inputs: (1) estimate the threshold from a sample of {@value #SAMPLE} keys (blocks of
 * {@value #SAMPLE_BLOCK} adjacent elements at random positions, so the reads stay sequential),
 * taking the sample rank {@code e + 4 sqrt(e) + 4} with {@code e = k * sample / n} so that at
 * least k elements pass with overwhelming probability; (2) one linear pass collects the indices
 * whose key reaches the estimate (~1.2-1.4 k of them; eight per vector compare where
 * {@link Simd#ENABLED}); (3) a three-pass radix select on the key
 * bits (11 + 11 + 9 bits) among the candidates finds the exact k-th key T; (4) the candidates
 * are emitted in index order: all keys above T, then the first (lowest-index) keys equal to T
 * until k are taken. If fewer than k candidates pass (a bad estimate), it falls back to the
 * radix select over all elements, which is always correct.
 */
final class TopKSelector {

    static final int SMALL = 1 << 15;
    static final int SAMPLE = 1 << 15;
    static final int SAMPLE_BLOCK = 64;

    private TopKSelector() {
    }

    static int key(float v) {
        return Float.floatToRawIntBits(v) & 0x7FFFFFFF;
    }

    /** Exact Top-k of {@code x[offset, offset + length)}; {@code 0 <= k}. */
    static Selection select(float[] x, int offset, int length, int k) {
        if (k <= 0) {
            return new Selection(new int[0], new float[0], 0);
        }
        if (k >= length) {
            int[] idx = new int[length];
            for (int i = 0; i < length; i++) {
                idx[i] = i;
            }
            return new Selection(idx, Arrays.copyOfRange(x, offset, offset + length), length);
        }
        if (length <= SMALL || k > length / 8) {
            return exact(x, offset, length, k, null, length);
        }
        return selectWithGuess(x, offset, length, k, sampleThreshold(x, offset, length, k));
    }

    /** A key that about {@code k + 4 sqrt(k)} elements reach, estimated from a sample. */
    static int sampleThreshold(float[] x, int offset, int length, int k) {
        int m = Math.min(SAMPLE, length);
        int[] sample = new int[m];
        long state = Seeds.splitMix(0x5EED_70FFL ^ length);
        int blocks = m / SAMPLE_BLOCK;
        int span = length - SAMPLE_BLOCK + 1;
        for (int b = 0; b < blocks; b++) {
            state += 0x9E3779B97F4A7C15L;
            int start = offset + (int) (((Seeds.splitMix(state) >>> 32) * span) >>> 32);
            for (int i = 0; i < SAMPLE_BLOCK; i++) {
                sample[b * SAMPLE_BLOCK + i] = key(x[start + i]);
            }
        }
        for (int i = blocks * SAMPLE_BLOCK; i < m; i++) {
            sample[i] = key(x[offset + i]);
        }
        double e = (double) k * m / length;
        int rank = (int) Math.min(m, Math.ceil(e + 4 * Math.sqrt(e) + 4));
        return (int) (kthLargest(sample, m, rank) >>> 32);
    }

    /** Top-k using {@code guessKey} as the candidate threshold; exact whatever the guess. */
    static Selection selectWithGuess(float[] x, int offset, int length, int k, int guessKey) {
        return selectWithGuess(x, offset, length, k, guessKey, Simd.ENABLED);
    }

    /** As above, the candidate pass by {@link VectorKernels#collectKeysAtLeast} ({@code vector}) or a scalar loop. */
    static Selection selectWithGuess(float[] x, int offset, int length, int k, int guessKey, boolean vector) {
        int chunk = ThresholdSelector.CHUNK;
        int cap = Math.min(length, Math.max(chunk, k + (k >>> 1)));
        int[] cand = new int[cap];
        int c = 0;
        for (int start = 0; start < length; start += chunk) {
            int end = Math.min(length, start + chunk);
            if (c + (end - start) > cap) {
                cap = (int) Math.min(length, Math.max(2L * cap, (long) c + chunk));
                cand = Arrays.copyOf(cand, cap);
            }
            if (vector) {
                c = VectorKernels.collectKeysAtLeast(x, offset, start, end, guessKey, cand, c);
                continue;
            }
            for (int i = start; i < end; i++) {
                if (key(x[offset + i]) >= guessKey) {
                    cand[c++] = i;
                }
            }
        }
        if (c < k) {
            return exact(x, offset, length, k, null, length);
        }
        return exact(x, offset, length, k, cand, c);
    }

    /** Exact selection among candidates {@code cand[0, n)} (ascending), or all elements if null. */
    private static Selection exact(float[] x, int offset, int length, int k, int[] cand, int n) {
        int[] keys = new int[n];
        for (int j = 0; j < n; j++) {
            keys[j] = key(x[offset + (cand == null ? j : cand[j])]);
        }
        long r = kthLargest(keys, n, k);
        int t = (int) (r >>> 32);
        int ties = (int) r;
        int[] idx = new int[k];
        float[] val = new float[k];
        int o = 0;
        for (int j = 0; j < n && o < k; j++) {
            int i = cand == null ? j : cand[j];
            float v = x[offset + i];
            int kk = key(v);
            if (kk > t || (kk == t && ties-- > 0)) {
                idx[o] = i;
                val[o] = v;
                o++;
            }
        }
        return new Selection(idx, val, o);
    }

    /**
     * Radix select of the k-th largest (1-based) of the non-negative {@code keys[0, n)}, k <= n.
     * Reorders {@code keys}. Returns {@code T << 32 | e} where T is that key and e how many
     * keys equal to T belong to the top k.
     */
    static long kthLargest(int[] keys, int n, int k) {
        int prefix = 0;
        int mask = 0;
        int remaining = k;
        int[] hist = new int[1 << 11];
        int[] shifts = {20, 9, 0};
        int[] widths = {11, 11, 9};
        for (int p = 0; p < 3; p++) {
            int shift = shifts[p];
            int size = 1 << widths[p];
            int sm = size - 1;
            Arrays.fill(hist, 0, size, 0);
            for (int i = 0; i < n; i++) {
                hist[(keys[i] >>> shift) & sm]++;
            }
            int b = sm;
            while (hist[b] < remaining) {
                remaining -= hist[b];
                b--;
            }
            prefix |= b << shift;
            mask |= sm << shift;
            int m = 0;
            for (int i = 0; i < n; i++) {
                int kk = keys[i];
                if ((kk & mask) == prefix) {
                    keys[m++] = kk;
                }
            }
            n = m;
        }
        return ((long) prefix << 32) | (remaining & 0xFFFFFFFFL);
    }
}
