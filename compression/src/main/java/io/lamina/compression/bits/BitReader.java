package io.lamina.compression.bits;

/**
 * Reads unsigned values of 1 to 32 bits each from a byte array, least significant bit first
 * (the stream {@code SparseIndexCodec.writePacked} writes). Reading past the end throws
 * {@link CorruptMessageException}: the caller sized the array from a count it had validated, so
 * running out means the count and the bytes disagree.
 */
public final class BitReader {

    private final byte[] buf;
    private int bytePos;
    private long acc;
    private int accBits;

    public BitReader(byte[] buf) {
        this.buf = buf;
    }

    /** The next {@code width}-bit unsigned value (1 <= width <= 32), as an int (bit 31 may be set). */
    public int read(int width) {
        while (accBits < width) {
            if (bytePos >= buf.length) {
                throw new CorruptMessageException("bit stream ended early: needed " + width
                        + " more bits after " + (bytePos * 8L - accBits) + " bits");
            }
            acc |= (buf[bytePos++] & 0xFFL) << accBits;
            accBits += 8;
        }
        int v = (int) (acc & ((1L << width) - 1));
        acc >>>= width;
        accBits -= width;
        return v;
    }
}
