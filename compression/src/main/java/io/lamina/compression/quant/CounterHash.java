package io.lamina.compression.quant;

/**
 * A counter-based 32-bit random stream for block-wise stochastic rounding: word i of the stream
 * keyed by a 64-bit seed is {@code lowbias32((i + k1) * 0x9E3779B9 ^ k2)} with {@code k1, k2}
 * the seed's low and high halves and lowbias32 the xor-shift-multiply finaliser
 * ({@code x ^= x >>> 16; x *= 0x7FEB352D; x ^= x >>> 15; x *= 0x846CA68B; x ^= x >>> 16}), a
 * bijection of 32-bit words with full avalanche. Any element's word depends only on the seed and
 * its counter, so a block can be drawn in any order, and the loop below uses int multiply, xor
 * and shift only, on an array-held counter, which C2 vectorises (JDK 17 does not vectorise a loop
 * that uses its induction variable as a value).
 */
final class CounterHash {

    static final int BLOCK = 4096;
    private static final int[] IOTA = new int[BLOCK];

    static {
        for (int i = 0; i < BLOCK; i++) {
            IOTA[i] = i;
        }
    }

    private CounterHash() {
    }

    /** Words {@code counter0 .. counter0 + n - 1} of the stream keyed by {@code seed} (n <= BLOCK). */
    static void fill(int[] dst, int n, int counter0, long seed) {
        final int base = counter0 + (int) seed;
        final int k2 = (int) (seed >>> 32);
        for (int i = 0; i < n; i++) {
            int h = (IOTA[i] + base) * 0x9E3779B9 ^ k2;
            h ^= h >>> 16;
            h *= 0x7FEB352D;
            h ^= h >>> 15;
            h *= 0x846CA68B;
            h ^= h >>> 16;
            dst[i] = h;
        }
    }

    /**
     * The floats {@code 1 + (word >>> 9) * 2^-23} in [1, 2) as raw bits (23-bit uniforms plus
     * one: {@code intBitsToFloat} of an array is a byte-buffer copy away, see {@link BlockScratch}).
     */
    static void fillUnitBits(int[] dst, int n, int counter0, long seed) {
        final int base = counter0 + (int) seed;
        final int k2 = (int) (seed >>> 32);
        for (int i = 0; i < n; i++) {
            int h = (IOTA[i] + base) * 0x9E3779B9 ^ k2;
            h ^= h >>> 16;
            h *= 0x7FEB352D;
            h ^= h >>> 15;
            h *= 0x846CA68B;
            h ^= h >>> 16;
            dst[i] = 0x3F800000 | (h >>> 9);
        }
    }

    /** The single word at {@code counter} (the scalar form of {@link #fill}, for tests). */
    static int word(int counter, long seed) {
        int h = (counter + (int) seed) * 0x9E3779B9 ^ (int) (seed >>> 32);
        h ^= h >>> 16;
        h *= 0x7FEB352D;
        h ^= h >>> 15;
        h *= 0x846CA68B;
        return h ^ (h >>> 16);
    }
}
