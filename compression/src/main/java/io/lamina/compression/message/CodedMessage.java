package io.lamina.compression.message;

import io.lamina.compression.Message;

/**
 * A single-worker message that decodes itself and knows its exact size on the wire. Codes that
 * cannot be summed in code space (per-worker norms or scales: QSGD, TernGrad, 8-bit, EF-sign,
 * 1-bit SGD, natural compression, natural dithering, fp16/bf16) implement it, so that
 * {@link GatheredMessage} can keep them side by side while that is smaller than dense fp32, and
 * decode and sum them otherwise. signSGD's unscaled signs implement it too, for decoding only
 * (they merge as votes).
 */
public interface CodedMessage extends Message {

    /**
     * The exact number of bytes this message's own Kryo serializer writes (its body, without the
     * class id). Tests check it against Kryo's output.
     */
    long wireBytes();

    /** Writes the decoded values into {@code dst[dstOffset, dstOffset + length())}. */
    void decodeInto(float[] dst, int dstOffset);

    /** Bytes of {@code bits} bits rounded up to whole bytes. */
    static long packedBytes(long bits) {
        return (bits + 7) >>> 3;
    }
}
