package io.lamina.compression.sign;

import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.CodedMessage;

/**
 * One worker's signs (signSGD, Signum), without a scale: one bit per element ({@link SignBits}),
 * decoded as +1 (bit 0: the value was >= 0, or NaN) or -1 (bit 1). Signs are summable as votes:
 * merging gives a {@link VoteMessage}.
 * Wire: varint length, then {@code ceil(length / 8)} bytes.
 *
 * <p>{@code words} is not copied: the message takes ownership of it, and it must not be modified
 * after construction (equality compares it by reference, as records do).
 *
 * @param length number of elements
 * @param words the sign bits, 64 per word
 */
public record SignMessage(int length, long[] words) implements CodedMessage {

    public SignMessage {
        if (length < 1 || words.length != SignBits.words(length)) {
            throw new IllegalArgumentException("sign message: length " + length
                    + " and word count " + words.length + " disagree");
        }
    }

    /** True if element i is negative (-1). */
    public boolean negative(int i) {
        return ((words[i >>> 6] >>> i) & 1L) != 0;
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public long wireBytes() {
        return WireLimits.varIntSize(length) + CodedMessage.packedBytes(length);
    }

    @Override
    public void decodeInto(float[] dst, int dstOffset) {
        SignBits.decodeTwoLevel(words, length, 1f, -1f, dst, dstOffset);
    }
}
