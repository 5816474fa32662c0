package io.lamina.compression.quant;

import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.CodedMessage;
import io.lamina.compression.bits.PackedBits;

/**
 * One worker's segment in Dettmers' 8-bit dynamic format: a per-segment scale (max |x|, fp32)
 * and one code byte per element ({@link DynamicTable}), eight per long word. Decoded value:
 * {@code scale * DynamicTable.value(code)}. Every byte is a valid code.
 * Wire: varint length, fp32 scale, then {@code length} bytes.
 *
 * <p>{@code words} is not copied: the message takes ownership of it, and it must not be modified
 * after construction (equality compares it by reference, as records do).
 *
 * @param scale the segment's max |x|, finite and {@code >= 0}
 * @param length number of elements
 * @param words the code bytes, eight per word ({@code ceil(length / 8)} words)
 */
public record EightBitMessage(float scale, int length, long[] words) implements CodedMessage {

    public EightBitMessage {
        if (!(scale >= 0 && Float.isFinite(scale)) || length < 1
                || words.length != PackedBits.words(8L * length)) {
            throw new IllegalArgumentException("8-bit message: invalid scale " + scale
                    + ", length " + length + " or word count " + words.length);
        }
    }

    /** The code byte of element i (0..255). */
    public int code(int i) {
        return (int) (words[i >>> 3] >>> ((i & 7) << 3)) & 0xFF;
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public long wireBytes() {
        return WireLimits.varIntSize(length) + 4 + (long) length;
    }

    @Override
    public void decodeInto(float[] dst, int dstOffset) {
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = scale * DynamicTable.value(code(i));
        }
    }
}
