package io.lamina.compression.quant;

import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.CodedMessage;
import io.lamina.compression.bits.PackedBits;

/**
 * One worker's ternary segment (TernGrad): a scale {@code s_t} (fp32) and per element a code in
 * {-1, 0, +1}, decoded as {@code s_t * code}; or, bucketed ({@code bucket > 0}), one scale per
 * bucket of {@code bucket} consecutive elements (the last one shorter), element i decoded as
 * {@code s_(i / bucket) * code}. Codes travel as trits {@code t = code + 1}, five per
 * byte in base 3 ({@code t0 + 3 t1 + 9 t2 + 27 t3 + 81 t4 <= 242}): 1.6 bits per element. Byte j
 * holds elements {@code 5j .. 5j + 4}; the bytes are packed eight per long word. Trits past the
 * end of the last byte are 0 (so its value is below {@code 3^(remaining)}).
 * Wire: see {@link io.lamina.compression.quant.TernaryMessageSerializer}.
 *
 * <p>The arrays are not copied: the message takes ownership of them, and they must not be
 * modified after construction (equality compares them by reference, as records do).
 *
 * @param scales the bucket scales (one for {@code bucket == 0}), finite and {@code >= 0}
 * @param bucket elements per bucket, 0 for one scale over the whole segment
 * @param length number of elements
 * @param words the trit bytes, eight per word
 */
public record TernaryMessage(float[] scales, int bucket, int length, long[] words) implements CodedMessage {

    /** {@code TRITS[5 b + k]} = the code (-1, 0, +1) of trit k of byte value b, for b < 243. */
    private static final float[] TRITS = new float[243 * 5];

    static {
        for (int b = 0; b < 243; b++) {
            int x = b;
            for (int k = 0; k < 5; k++) {
                TRITS[5 * b + k] = x % 3 - 1;
                x /= 3;
            }
        }
    }

    /** One scale for the segment. Takes ownership of {@code words}. */
    public TernaryMessage(float scale, int length, long[] words) {
        this(new float[] {scale}, 0, length, words);
    }

    /**
     * Takes ownership of the arrays; the caller guarantees every byte is a valid trit group.
     * {@code bucket} is 0 (one scale) or in [1, length] with {@code ceil(length / bucket)} scales.
     */
    public TernaryMessage {
        if (length < 1 || bucket < 0 || bucket > length || scales.length != buckets(length, bucket)
                || words.length != PackedBits.words(8L * bytes(length))) {
            throw new IllegalArgumentException("ternary message: invalid length " + length + ", bucket "
                    + bucket + ", scale count " + scales.length + " or word count " + words.length);
        }
        for (float scale : scales) {
            if (!(scale >= 0 && Float.isFinite(scale))) {
                throw new IllegalArgumentException("ternary message: invalid scale " + scale);
            }
        }
    }

    /** Number of scales: 1 for {@code bucket == 0}, else {@code ceil(length / bucket)}. */
    public static int buckets(int length, int bucket) {
        return bucket == 0 ? 1 : (int) ((length + (long) bucket - 1) / bucket);
    }

    /** Bytes holding {@code length} trits. */
    public static int bytes(int length) {
        return (length + 4) / 5;
    }

    /** The scale of the first bucket (of the whole segment when {@link #bucket()} is 0). */
    public float scale() {
        return scales[0];
    }

    /** The code of element i: -1, 0 or +1. */
    public int code(int i) {
        int b = (int) (words[(i / 5) >>> 3] >>> (((i / 5) & 7) << 3)) & 0xFF;
        return (int) TRITS[5 * b + i % 5];
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public long wireBytes() {
        return WireLimits.varIntSize(length) + 4
                + (bucket == 0 ? 0 : WireLimits.varIntSize(bucket) + 4L * scales.length) + bytes(length);
    }

    @Override
    public void decodeInto(float[] dst, int dstOffset) {
        int nb = bytes(length);
        int size = bucket == 0 ? length : bucket;
        int b = 0;
        float s = scales[0];
        int next = size; // first element of the next bucket
        for (int j = 0; j < nb; j++) {
            int code = (int) (words[j >>> 3] >>> ((j & 7) << 3)) & 0xFF;
            int base = 5 * j;
            int k = Math.min(5, length - base);
            if (base + k <= next) { // the group lies in the current bucket
                for (int t = 0; t < k; t++) {
                    dst[dstOffset + base + t] = s * TRITS[5 * code + t];
                }
            } else {
                for (int t = 0; t < k; t++) {
                    if (base + t == next) {
                        s = scales[++b];
                        next += size;
                    }
                    dst[dstOffset + base + t] = s * TRITS[5 * code + t];
                }
            }
        }
    }
}
