package io.lamina.compression.quant;

import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.CodedMessage;
import io.lamina.compression.simd.Simd;
import io.lamina.compression.simd.VectorKernels;
import io.lamina.compression.bits.Half;
import io.lamina.compression.bits.PackedBits;

/**
 * One worker's segment in a 16-bit float format: IEEE binary16 ({@code fp16}) or bfloat16
 * ({@code bf16}), four values per long word, element i in bits {@code 16 (i mod 4)}.
 * Wire: varint length, one format byte (0 fp16, 1 bf16), then {@code 2 * length} bytes.
 *
 * <p>{@code words} is not copied: the message takes ownership of it, and it must not be modified
 * after construction (equality compares it by reference, as records do).
 *
 * @param bf16 true for bfloat16, false for IEEE binary16
 * @param length number of elements
 * @param words the packed codes, {@code ceil(length / 4)} words
 */
public record HalfMessage(boolean bf16, int length, long[] words) implements CodedMessage {

    public HalfMessage {
        if (length < 1 || words.length != PackedBits.words(16L * length)) {
            throw new IllegalArgumentException("half message: length " + length + " needs "
                    + PackedBits.words(16L * length) + " words, got " + words.length);
        }
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public long wireBytes() {
        return WireLimits.varIntSize(length) + 1 + 2L * length;
    }

    @Override
    public void decodeInto(float[] dst, int dstOffset) {
        decodeInto(dst, dstOffset, Simd.ENABLED);
    }

    /**
     * As {@link #decodeInto(float[], int)}, the multiple-of-8 prefix by
     * {@link VectorKernels#fromHalves} ({@code vector}) or all by a scalar loop; the same floats.
     */
    public void decodeInto(float[] dst, int dstOffset, boolean vector) {
        int i = 0;
        if (vector) {
            i = length & ~7;
            VectorKernels.fromHalves(words, i, bf16, dst, dstOffset);
        }
        for (; i < length; i++) {
            short h = (short) (words[i >>> 2] >>> ((i & 3) << 4));
            dst[dstOffset + i] = bf16 ? Half.fromBfloat16(h) : Half.fromHalf(h);
        }
    }
}
