package io.lamina.compression.simd;

import java.util.Random;

/**
 * Inputs for comparing the vector kernels with their scalar loops: Gaussian values of several
 * scales mixed with the values where the two could part ways (signed zeros, NaNs of both signs,
 * infinities, fp32 and fp16 subnormals, the fp16 overflow and rounding boundaries, bf16 ties).
 */
public final class KernelInputs {

    private static final float[] SPECIAL = {
        0f, -0f, Float.NaN, Float.intBitsToFloat(0xFFC00001), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MAX_VALUE, Float.MAX_VALUE,
        5.960464477539063e-8f, 2.9802322e-8f, 2.98023259e-8f, 6.097555e-5f, 6.1035156e-5f, -6.1035156e-5f,
        65504f, 65519.99f, 65520f, -65520f, 1e6f, -1e-7f, 1f + 0x1p-11f, 1f + 0x1p-10f + 0x1p-11f,
        Float.intBitsToFloat(0x3F808000), Float.intBitsToFloat(0x3F818000), Float.intBitsToFloat(0x7F7F8000),
        2.5758f, -2.5758f, Math.nextDown(2.5758f),
    };

    private KernelInputs() {
    }

    /** {@code n} values: about one in {@code specialEvery} is special, the rest Gaussian at a random scale. */
    public static float[] mixed(int n, long seed, int specialEvery) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            if (r.nextInt(specialEvery) == 0) {
                x[i] = SPECIAL[r.nextInt(SPECIAL.length)];
            } else {
                double scale = Math.pow(10, r.nextInt(13) - 9); // 1e-9 .. 1e3
                x[i] = (float) (r.nextGaussian() * scale);
            }
        }
        return x;
    }

    /**
     * {@link #mixed} with every non-finite value, and every value above {@code limit} in
     * magnitude, replaced by 1.25 or -3e-3 (alternating by index): for codecs that reject
     * non-finite input (and QSGD, whose norm must fit fp32).
     */
    public static float[] finite(int n, long seed, int specialEvery, float limit) {
        float[] x = mixed(n, seed, specialEvery);
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(x[i]) || Math.abs(x[i]) > limit) {
                x[i] = (i & 1) == 0 ? 1.25f : -3e-3f;
            }
        }
        return x;
    }
}
