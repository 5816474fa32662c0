package io.lamina.compression.quant;

import io.lamina.compression.bits.PackedBits;
import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.CodedMessage;

/**
 * One worker's segment in natural dithering with {@code s} levels: the l2 norm and, per element,
 * a sign bit and a level index k in 0..s (k = 0: zero; k >= 1: {@code 2^(k - s)}), packed at
 * {@link #width(int) 1 + bits(s)} bits per element (sign above the index). Decoded value:
 * {@code sign * norm * 2^(k - s)}. Wire: varint length, varint s, fp32 norm, then the packed codes.
 *
 * <p>{@code words} is not copied: the message takes ownership of it, and it must not be modified
 * after construction (equality compares it by reference, as records do).
 *
 * @param length number of elements
 * @param levels s, in [{@link DitheringCompressor#MIN_LEVELS}, {@link DitheringCompressor#MAX_LEVELS}]
 * @param norm the segment's l2 norm, finite and {@code >= 0}
 * @param words the packed codes, {@link #width(int)} bits each, LSB first
 */
public record DitheringMessage(int length, int levels, float norm, long[] words) implements CodedMessage {

    public DitheringMessage {
        if (length < 1 || levels < DitheringCompressor.MIN_LEVELS || levels > DitheringCompressor.MAX_LEVELS
                || words.length != PackedBits.words((long) width(levels) * length) || !(norm >= 0 && Float.isFinite(norm))) {
            throw new IllegalArgumentException("dithering message: length " + length + ", s " + levels + ", norm "
                    + norm + " and word count " + words.length + " disagree");
        }
    }

    /** Bits per element: one sign bit and the minimum bits for an index in 0..levels. */
    public static int width(int levels) {
        return 1 + (32 - Integer.numberOfLeadingZeros(levels));
    }

    /** The code (sign and level index) of element {@code i}. */
    public int code(int i) {
        return code(words, i, width(levels));
    }

    /** The {@code w}-bit code of element {@code i} in {@code words} (codes may straddle words). */
    static int code(long[] words, int i, int w) {
        long bit = (long) i * w;
        int wi = (int) (bit >>> 6);
        int sh = (int) (bit & 63);
        long v = words[wi] >>> sh;
        if (sh > 64 - w) {
            v |= words[wi + 1] << (64 - sh);
        }
        return (int) v & ((1 << w) - 1);
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public long wireBytes() {
        return WireLimits.varIntSize(length) + WireLimits.varIntSize(levels) + 4
                + CodedMessage.packedBytes((long) width(levels) * length);
    }

    @Override
    public void decodeInto(float[] dst, int dstOffset) {
        int w = width(levels);
        int indexMask = (1 << (w - 1)) - 1;
        for (int i = 0; i < length; i++) {
            int c = code(words, i, w);
            int k = c & indexMask;
            float v = k == 0 ? 0f : norm * Math.scalb(1f, k - levels);
            dst[dstOffset + i] = (c >>> (w - 1)) != 0 ? -v : v;
        }
    }
}
