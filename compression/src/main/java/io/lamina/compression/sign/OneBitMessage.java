package io.lamina.compression.sign;

import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.CodedMessage;

/**
 * One worker's 1-bit SGD segment: two fp32 reconstruction values and one bit per element
 * ({@link SignBits}): bit 0 (value >= 0) decodes to {@code positive}, the mean of the
 * non-negative entries (>= 0); bit 1 (value < 0) to {@code negative}, the mean of the negative
 * entries (<= 0; 0 when there are none).
 * Wire: varint length, fp32 positive, fp32 negative, then {@code ceil(length / 8)} bytes.
 *
 * <p>{@code words} is not copied: the message takes ownership of it, and it must not be modified
 * after construction (equality compares it by reference, as records do).
 *
 * @param positive the value of bit 0, finite and {@code >= 0}
 * @param negative the value of bit 1, finite and {@code <= 0}
 * @param length number of elements
 * @param words the sign bits, 64 per word
 */
public record OneBitMessage(float positive, float negative, int length, long[] words) implements CodedMessage {

    public OneBitMessage {
        if (!(positive >= 0 && Float.isFinite(positive)) || !(negative <= 0 && Float.isFinite(negative))
                || length < 1 || words.length != SignBits.words(length)) {
            throw new IllegalArgumentException("1-bit message: invalid means " + positive + ", "
                    + negative + ", length " + length + " or word count " + words.length);
        }
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
