package io.lamina.compression;

/** Deterministic seed derivation (SplitMix64 finaliser over the mixed inputs). */
public final class Seeds {

    private Seeds() {
    }

    /** A well-mixed 64-bit seed from four inputs; any change in an input changes the result. */
    public static long mix(long a, long b, long c, long d) {
        long h = splitMix(a ^ 0x9E3779B97F4A7C15L);
        h = splitMix(h ^ b);
        h = splitMix(h ^ c);
        return splitMix(h ^ d);
    }

    /** The SplitMix64 output function. */
    public static long splitMix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
