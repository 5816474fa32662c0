package io.lamina.compression.bits;

import java.util.Arrays;

/**
 * Packs unsigned values of 1 to 32 bits each, least significant bit first, into a byte array.
 * The result of {@link #toByteArray()} is {@code ceil(bits / 8)} bytes long. The tests' slow
 * reference for the packed index coding ({@code SparseIndexCodec.writePacked} builds the same
 * stream in long words).
 */
public final class BitWriter {

    private byte[] buf;
    private long bitPos;
    private long acc;
    private int accBits;
    private int bytePos;

    public BitWriter(int expectedBits) {
        buf = new byte[Math.max(8, (int) ((expectedBits + 7L) >>> 3))];
    }

    /** Appends the low {@code width} bits of {@code value} (1 <= width <= 32). */
    public void write(int value, int width) {
        acc |= (value & 0xFFFFFFFFL & ((1L << width) - 1)) << accBits;
        accBits += width;
        bitPos += width;
        while (accBits >= 8) {
            ensure(1);
            buf[bytePos++] = (byte) acc;
            acc >>>= 8;
            accBits -= 8;
        }
    }

    /** Number of bits written so far. */
    public long bits() {
        return bitPos;
    }

    /** The packed bytes (the last byte zero-padded). */
    public byte[] toByteArray() {
        int n = (int) ((bitPos + 7) >>> 3);
        byte[] out = Arrays.copyOf(buf, n);
        if (accBits > 0) {
            out[n - 1] = (byte) acc;
        }
        return out;
    }

    private void ensure(int more) {
        if (bytePos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, bytePos + more));
        }
    }

    /** Bytes needed for {@code count} values of {@code width} bits. */
    public static int bytesFor(long count, int width) {
        return (int) ((count * width + 7) >>> 3);
    }
}
