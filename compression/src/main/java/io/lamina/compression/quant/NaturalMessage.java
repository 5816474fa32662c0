package io.lamina.compression.quant;

import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.CodedMessage;
import io.lamina.compression.bits.PackedBits;

/**
 * One worker's segment in natural compression: every value is a signed power of two or zero,
 * sent as 9 bits: the sign (bit 8) and the 8-bit biased IEEE exponent e (bits 0-7). Decoded
 * value: the float with that sign and exponent and a zero mantissa, i.e. {@code ±2^(e - 127)}
 * for e in 1..254, {@code ±0} for e = 0, {@code ±infinity} for e = 255.
 * Wire: varint length, then {@code ceil(9 length / 8)} bytes.
 *
 * <p>{@code words} is not copied: the message takes ownership of it, and it must not be modified
 * after construction (equality compares it by reference, as records do).
 *
 * @param length number of elements
 * @param words the 9-bit codes, packed LSB first
 */
public record NaturalMessage(int length, long[] words) implements CodedMessage {

    public static final int WIDTH = 9;

    public NaturalMessage {
        if (length < 1 || words.length != PackedBits.words((long) WIDTH * length)) {
            throw new IllegalArgumentException("natural message: length " + length
                    + " and word count " + words.length + " disagree");
        }
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public long wireBytes() {
        return WireLimits.varIntSize(length) + CodedMessage.packedBytes((long) WIDTH * length);
    }

    @Override
    public void decodeInto(float[] dst, int dstOffset) {
        long bit = 0;
        for (int i = 0; i < length; i++, bit += WIDTH) {
            int wi = (int) (bit >>> 6);
            int sh = (int) (bit & 63);
            long v = words[wi] >>> sh;
            if (sh > 64 - WIDTH) {
                v |= words[wi + 1] << (64 - sh);
            }
            int c = (int) v & 0x1FF;
            dst[dstOffset + i] = Float.intBitsToFloat(((c & 0x100) << 23) | ((c & 0xFF) << 23));
        }
    }
}
