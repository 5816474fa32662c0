package io.lamina.compression.message;

import io.lamina.compression.wire.PackedBits;

/**
 * One worker's QSGD-quantised segment: the l2 norm (fp32), the number of levels s, and per
 * element the code {@code c = s + sign(v_i) * l_i} in {@code [0, 2s]}, bit-packed at
 * {@code w = ceil(log2(2s + 1))} bits. Decoded value: {@code norm / s * (c - s)}.
 * Wire: varint length, varint s, fp32 norm, then {@code ceil(length * w / 8)} bytes.
 */
public final class QsgdMessage implements CodedMessage {

    private final float norm;
    private final int s;
    private final int length;
    private final long[] words;

    /** Takes ownership of {@code words}; the caller guarantees every code is at most 2s. */
    public QsgdMessage(float norm, int s, int length, long[] words) {
        if (!(norm >= 0 && Float.isFinite(norm)) || s < 1 || length < 1
                || words.length != PackedBits.words((long) length * width(s))) {
            throw new IllegalArgumentException("qsgd message: invalid norm " + norm + ", s " + s
                    + ", length " + length + " or word count " + words.length);
        }
        this.norm = norm;
        this.s = s;
        this.length = length;
        this.words = words;
    }

    /** Bits per code for s levels: ceil(log2(2s + 1)), the bit length of 2s. */
    public static int width(int s) {
        return 32 - Integer.numberOfLeadingZeros(2 * s);
    }

    public float norm() {
        return norm;
    }

    public int s() {
        return s;
    }

    public long[] words() {
        return words;
    }

    /** The code of element i, in [0, 2s]. */
    public int code(int i) {
        return PackedBits.get(words, i, width(s));
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public long wireBytes() {
        return CodedMessage.varIntBytes(length) + CodedMessage.varIntBytes(s) + 4
                + CodedMessage.packedBytes((long) length * width(s));
    }

    @Override
    public void decodeInto(float[] dst, int dstOffset) {
        int w = width(s);
        long mask = (1L << w) - 1;
        float step = norm / s;
        long bit = 0;
        for (int i = 0; i < length; i++, bit += w) {
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
