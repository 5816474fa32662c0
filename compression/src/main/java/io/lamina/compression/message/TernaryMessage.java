package io.lamina.compression.message;

import io.lamina.compression.wire.PackedBits;

/**
 * One worker's ternary segment (TernGrad): a scale {@code s_t} (fp32) and per element a code in
 * {-1, 0, +1}, decoded as {@code s_t * code}. Codes travel as trits {@code t = code + 1}, five per
 * byte in base 3 ({@code t0 + 3 t1 + 9 t2 + 27 t3 + 81 t4 <= 242}): 1.6 bits per element. Byte j
 * holds elements {@code 5j .. 5j + 4}; the bytes are packed eight per long word. Trits past the
 * end of the last byte are 0 (so its value is below {@code 3^(remaining)}).
 * Wire: varint length, fp32 scale, then {@code ceil(length / 5)} bytes.
 */
public final class TernaryMessage implements CodedMessage {

    /** {@code TRITS[5 b + k]} = the code (-1, 0, +1) of trit k of byte value b, for b < 243. */
    private static final float[] TRITS = new float[243 * 5];

    static {
        for (int b = 0; b < 243; b++) {
            int x = b;
            for (int k = 0; k < 5; k++) {
                TRITS[5 * b + k] = x % 3 - 1;
                x /= 3;
            }
        }
    }

    private final float scale;
    private final int length;
    private final long[] words;

    /** Takes ownership of {@code words}; the caller guarantees every byte is a valid trit group. */
    public TernaryMessage(float scale, int length, long[] words) {
        if (!(scale >= 0 && Float.isFinite(scale)) || length < 1
                || words.length != PackedBits.words(8L * bytes(length))) {
            throw new IllegalArgumentException("ternary message: invalid scale " + scale
                    + ", length " + length + " or word count " + words.length);
        }
        this.scale = scale;
        this.length = length;
        this.words = words;
    }

    /** Bytes holding {@code length} trits. */
    public static int bytes(int length) {
        return (length + 4) / 5;
    }

    public float scale() {
        return scale;
    }

    public long[] words() {
        return words;
    }

    /** The code of element i: -1, 0 or +1. */
    public int code(int i) {
        int b = (int) (words[(i / 5) >>> 3] >>> (((i / 5) & 7) << 3)) & 0xFF;
        return (int) TRITS[5 * b + i % 5];
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
        return CodedMessage.varIntBytes(length) + 4 + bytes(length);
    }

    @Override
    public void decodeInto(float[] dst, int dstOffset) {
        int nb = bytes(length);
        float s = scale;
        for (int j = 0; j < nb; j++) {
            int b = (int) (words[j >>> 3] >>> ((j & 7) << 3)) & 0xFF;
            int base = 5 * j;
            int k = Math.min(5, length - base);
            for (int t = 0; t < k; t++) {
                dst[dstOffset + base + t] = s * TRITS[5 * b + t];
            }
        }
    }
}
