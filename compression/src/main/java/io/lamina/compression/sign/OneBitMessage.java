package io.lamina.compression.sign;

import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.CodedMessage;

/**
 * One worker's 1-bit SGD segment: two fp32 reconstruction values and one bit per element
 * ({@link SignBits}): bit 0 (value >= 0) decodes to {@code positive}, the mean of the
 * non-negative entries (>= 0); bit 1 (value < 0) to {@code negative}, the mean of the negative
 * entries (<= 0; 0 when there are none).
 * Wire: varint length, fp32 positive, fp32 negative, then {@code ceil(length / 8)} bytes.
 */
public final class OneBitMessage implements CodedMessage {

    private final float positive;
    private final float negative;
    private final int length;
    private final long[] words;

    /** Takes ownership of {@code words}. */
    public OneBitMessage(float positive, float negative, int length, long[] words) {
        if (!(positive >= 0 && Float.isFinite(positive)) || !(negative <= 0 && Float.isFinite(negative))
                || length < 1 || words.length != SignBits.words(length)) {
            throw new IllegalArgumentException("1-bit message: invalid means " + positive + ", "
                    + negative + ", length " + length + " or word count " + words.length);
        }
        this.positive = positive;
        this.negative = negative;
        this.length = length;
        this.words = words;
    }

    public float positive() {
        return positive;
    }

    public float negative() {
        return negative;
    }

    public long[] words() {
        return words;
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
        return WireLimits.varIntSize(length) + 8 + CodedMessage.packedBytes(length);
    }

    @Override
    public void decodeInto(float[] dst, int dstOffset) {
        SignBits.decodeTwoLevel(words, length, positive, negative, dst, dstOffset);
    }
}
