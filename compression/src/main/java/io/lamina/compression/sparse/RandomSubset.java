package io.lamina.compression.sparse;

import io.lamina.compression.Seeds;

/**
 * A uniformly random k-subset of {@code [0, n)}, as a pure function of (seed, k, n): Floyd's
 * algorithm (every k-subset equally likely, k draws) over a bit set, read out in increasing
 * order (O(k + n/64)). The generator is SplitMix64 with Lemire's unbiased bounded draws, written
 * here so that every JVM produces the same subset.
 */
public final class RandomSubset {

    private RandomSubset() {
    }

    /** The sorted k-subset of {@code [0, n)} drawn from {@code seed}; {@code 0 <= k <= n}. */
    public static int[] of(long seed, int k, int n) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("need 0 <= k <= n, got k=" + k + " n=" + n);
        }
        int[] out = new int[k];
        if (k == n) {
            for (int i = 0; i < n; i++) {
                out[i] = i;
            }
            return out;
        }
        long[] bits = new long[(n + 63) >>> 6];
        long state = seed;
        for (int j = n - k; j < n; j++) {
            // t uniform in [0, j]
            int bound = j + 1;
            long m;
            long low;
            do {
                state += 0x9E3779B97F4A7C15L;
                long r = Seeds.splitMix(state) >>> 32;
                m = r * bound;
                low = m & 0xFFFFFFFFL;
            } while (low < bound && low < (0x100000000L - bound) % bound);
            int t = (int) (m >>> 32);
            int pick = (bits[t >>> 6] & (1L << t)) != 0 ? j : t;
            bits[pick >>> 6] |= 1L << pick;
        }
        int o = 0;
        for (int w = 0; w < bits.length; w++) {
            long word = bits[w];
            while (word != 0) {
                out[o++] = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
            }
        }
        return out;
    }
}
