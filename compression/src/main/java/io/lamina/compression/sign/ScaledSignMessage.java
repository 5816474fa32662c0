package io.lamina.compression.sign;

import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.CodedMessage;

/**
 * One worker's scaled signs (EF-signSGD): one fp32 scale and one sign bit per element
 * ({@link SignBits}), decoded as {@code +scale} (bit 0) or {@code -scale} (bit 1).
 * Wire: varint length, fp32 scale, then {@code ceil(length / 8)} bytes.
 */
public final class ScaledSignMessage implements CodedMessage {

    private final float scale;
    private final int length;
    private final long[] words;

    /** Takes ownership of {@code words}. */
    public ScaledSignMessage(float scale, int length, long[] words) {
        if (!(scale >= 0 && Float.isFinite(scale)) || length < 1 || words.length != SignBits.words(length)) {
            throw new IllegalArgumentException("scaled sign message: invalid scale " + scale
                    + ", length " + length + " or word count " + words.length);
        }
        this.scale = scale;
        this.length = length;
        this.words = words;
    }

    public float scale() {
        return scale;
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
        return WireLimits.varIntSize(length) + 4 + CodedMessage.packedBytes(length);
    }

    @Override
    public void decodeInto(float[] dst, int dstOffset) {
        SignBits.decodeTwoLevel(words, length, scale, -scale, dst, dstOffset);
    }
}
