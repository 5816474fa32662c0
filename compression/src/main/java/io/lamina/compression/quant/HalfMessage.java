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
 */
public final class HalfMessage implements CodedMessage {

    private final boolean bf16;
    private final int length;
    private final long[] words;

    /** Takes ownership of {@code words} ({@code ceil(length / 4)} of them). */
    public HalfMessage(boolean bf16, int length, long[] words) {
        if (length < 1 || words.length != PackedBits.words(16L * length)) {
            throw new IllegalArgumentException("half message: length " + length + " needs "
                    + PackedBits.words(16L * length) + " words, got " + words.length);
        }
        this.bf16 = bf16;
        this.length = length;
        this.words = words;
    }

    public boolean bf16() {
        return bf16;
    }

    /** The packed words (not copied). */
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
