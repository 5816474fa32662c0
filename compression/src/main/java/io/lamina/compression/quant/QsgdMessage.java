package io.lamina.compression.quant;

import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.CodedMessage;
import io.lamina.compression.bits.PackedBits;

/**
 * One worker's QSGD-quantised segment: the number of levels s, the l2 norm of each bucket (fp32;
 * one bucket of the whole segment when {@code bucket == 0}, else buckets of {@code bucket}
 * consecutive elements, the last one possibly shorter), and per element the code
 * {@code c = s + sign(v_i) * l_i} in {@code [0, 2s]}, bit-packed at
 * {@code w = ceil(log2(2s + 1))} bits. Decoded value of element i in bucket b:
 * {@code norm_b / s * (c - s)}.
 * Wire: see {@link io.lamina.compression.quant.QsgdMessageSerializer}.
 *
 * <p>The arrays are not copied: the message takes ownership of them, and they must not be
 * modified after construction (equality compares them by reference, as records do).
 *
 * @param norms the bucket norms (one for {@code bucket == 0}), finite and {@code >= 0}
 * @param s the number of levels, {@code >= 1}
 * @param bucket elements per bucket, 0 for one norm over the whole segment
 * @param length number of elements
 * @param words the codes, {@link #width(int)} bits each, LSB first
 */
public record QsgdMessage(float[] norms, int s, int bucket, int length, long[] words) implements CodedMessage {

    /** Added to s in the wire's level field when a bucket size and several norms follow. */
    public static final int BUCKETED_FLAG = 1 << 16;

    /** A whole-segment message (one norm). Takes ownership of {@code words}. */
    public QsgdMessage(float norm, int s, int length, long[] words) {
        this(new float[] {norm}, s, 0, length, words);
    }

    /**
     * Takes ownership of the arrays; the caller guarantees every code is at most 2s.
     * {@code bucket} is 0 (one norm for the segment) or in [1, length] with
     * {@code ceil(length / bucket)} norms.
     */
    public QsgdMessage {
        if (s < 1 || length < 1 || bucket < 0 || bucket > length || norms.length != buckets(length, bucket)
                || words.length != PackedBits.words((long) length * width(s))) {
            throw new IllegalArgumentException("qsgd message: invalid s " + s + ", length " + length
                    + ", bucket " + bucket + ", norm count " + norms.length + " or word count " + words.length);
        }
        for (float norm : norms) {
            if (!(norm >= 0 && Float.isFinite(norm))) {
                throw new IllegalArgumentException("qsgd message: invalid norm " + norm);
            }
        }
    }

    /** Number of norms: 1 for {@code bucket == 0}, else {@code ceil(length / bucket)}. */
    public static int buckets(int length, int bucket) {
        return bucket == 0 ? 1 : (int) ((length + (long) bucket - 1) / bucket);
    }

    /** Bits per code for s levels: ceil(log2(2s + 1)), the bit length of 2s. */
    public static int width(int s) {
        return 32 - Integer.numberOfLeadingZeros(2 * s);
    }

    /** The norm of the first bucket (of the whole segment when {@link #bucket()} is 0). */
    public float norm() {
        return norms[0];
    }

    /** The code of element i, in [0, 2s]. */
    public int code(int i) {
        return PackedBits.get(words, i, width(s));
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public long wireBytes() {
        long header = bucket == 0 ? WireLimits.varIntSize(s)
                : WireLimits.varIntSize(s + BUCKETED_FLAG) + WireLimits.varIntSize(bucket);
        return WireLimits.varIntSize(length) + header + 4L * norms.length
                + CodedMessage.packedBytes((long) length * width(s));
    }

    @Override
    public void decodeInto(float[] dst, int dstOffset) {
        int w = width(s);
        long mask = (1L << w) - 1;
        int size = bucket == 0 ? length : bucket;
        long bit = 0;
        for (int b = 0, start = 0; start < length; b++, start += size) {
            float step = norms[b] / s;
            int end = (int) Math.min(length, (long) start + size);
            for (int i = start; i < end; i++, bit += w) {
                int wi = (int) (bit >>> 6);
                int sh = (int) (bit & 63);
                long v = words[wi] >>> sh;
                if (sh + w > 64) {
                    v |= words[wi + 1] << (64 - sh);
                }
                dst[dstOffset + i] = ((int) (v & mask) - s) * step;
            }
        }
    }
}
