package io.lamina.compression.sign;

import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.CodedMessage;

/**
 * One worker's scaled signs (EF-signSGD): one fp32 scale and one sign bit per element
 * ({@link SignBits}), decoded as {@code +scale} (bit 0) or {@code -scale} (bit 1).
 * Wire: varint length, fp32 scale, then {@code ceil(length / 8)} bytes.
 *
 * <p>{@code words} is not copied: the message takes ownership of it, and it must not be modified
 * after construction (equality compares it by reference, as records do).
 *
 * @param scale the magnitude every element decodes to, finite and {@code >= 0}
 * @param length number of elements
 * @param words the sign bits, 64 per word
 */
public record ScaledSignMessage(float scale, int length, long[] words) implements CodedMessage {

    public ScaledSignMessage {
        if (!(scale >= 0 && Float.isFinite(scale)) || length < 1 || words.length != SignBits.words(length)) {
            throw new IllegalArgumentException("scaled sign message: invalid scale " + scale
                    + ", length " + length + " or word count " + words.length);
        }
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public long wireBytes() {
        return WireLimits.varIntSize(length) + 4 + CodedMessage.packedBytes(length);
    }

    @Override
    public void decodeInto(float[] dst, int dstOffset) {
        SignBits.decodeTwoLevel(words, length, scale, -scale, dst, dstOffset);
    }
}
