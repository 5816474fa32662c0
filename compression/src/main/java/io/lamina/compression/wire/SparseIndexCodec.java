package io.lamina.compression.wire;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * The two codings of a sorted index list, both over the gaps {@code g_0 = i_0} and
 * {@code g_j = i_j - i_(j-1) - 1} (>= 0 because indices strictly increase):
 * <ul>
 *   <li>{@link #VARINT}: each gap as a Kryo varint (1 byte below 128, 2 below 16384, ...);</li>
 *   <li>{@link #PACKED}: blocks of {@link #BLOCK} gaps; each block is a 6-bit width
 *       {@code w = bits(max gap of the block)} (0..32) followed by its gaps in {@code w} bits each,
 *       all in one LSB-first bit stream, written as a varint byte count and
 *       {@code ceil(bits / 8)} bytes.</li>
 * </ul>
 * The serializer picks whichever is smaller for each message. At density p the gaps are about
 * geometric with mean 1/p: at p = 1% that is ~1.3 bytes per index as varints and ~1.2 bytes
 * bit-packed; runs of adjacent indices (gaps of 0) cost 6 bits per 128 indices packed.
 *
 * <p>Readers check every gap while decoding: the index stays below {@code length}, the width
 * is in 0..32, the byte count matches the bits exactly; otherwise {@link CorruptMessageException}.
 */
public final class SparseIndexCodec {

    public static final int VARINT = 0;
    public static final int PACKED = 1;
    public static final int BLOCK = 128;
    static final int WIDTH_BITS = 6;

    private SparseIndexCodec() {
    }

    /** Bytes of the varint coding of {@code idx[0, n)}. */
    public static long varintBytes(int[] idx, int n) {
        long bytes = 0;
        int prev = -1;
        for (int j = 0; j < n; j++) {
            bytes += WireSizes.varInt(idx[j] - prev - 1);
            prev = idx[j];
        }
        return bytes;
    }

    /** Bits of the packed stream of {@code idx[0, n)} (before byte padding and the count). */
    public static long packedBits(int[] idx, int n) {
        long bits = 0;
        int prev = -1;
        for (int start = 0; start < n; start += BLOCK) {
            int end = Math.min(n, start + BLOCK);
            int max = 0;
            for (int j = start; j < end; j++) {
                max |= idx[j] - prev - 1; // OR has the same highest bit as max
                prev = idx[j];
            }
            bits += WIDTH_BITS + (long) (end - start) * width(max);
        }
        return bits;
    }

    /** Bytes of the packed coding including its varint byte count. */
    public static long packedBytes(int[] idx, int n) {
        int bytes = (int) ((packedBits(idx, n) + 7) >>> 3);
        return WireSizes.varInt(bytes) + (long) bytes;
    }

    static int width(int max) {
        return 32 - Integer.numberOfLeadingZeros(max);
    }

    public static void writeVarint(Output out, int[] idx, int n) {
        int prev = -1;
        for (int j = 0; j < n; j++) {
            out.writeVarInt(idx[j] - prev - 1, true);
            prev = idx[j];
        }
    }

    public static void writePacked(Output out, int[] idx, int n) {
        BitWriter w = new BitWriter((int) Math.min(Integer.MAX_VALUE - 64, packedBits(idx, n)));
        int prev = -1;
        for (int start = 0; start < n; start += BLOCK) {
            int end = Math.min(n, start + BLOCK);
            int max = 0;
            int p = prev;
            for (int j = start; j < end; j++) {
                max |= idx[j] - p - 1;
                p = idx[j];
            }
            int width = width(max);
            w.write(width, WIDTH_BITS);
            for (int j = start; j < end; j++) {
                if (width > 0) {
                    w.write(idx[j] - prev - 1, width);
                }
                prev = idx[j];
            }
        }
        byte[] bytes = w.toByteArray();
        out.writeVarInt(bytes.length, true);
        out.writeBytes(bytes);
    }

    /** Reads {@code count} varint gaps into strictly increasing indices below {@code length}. */
    public static int[] readVarint(Input in, int count, int length, String what) {
        int[] idx = new int[count];
        long prev = -1;
        int j = 0;
        try {
            for (; j < count; j++) {
                int gap = in.readVarInt(true);
                long next = prev + 1 + (gap & 0xFFFFFFFFL);
                if (gap < 0 || next >= length) {
                    throw new CorruptMessageException(what + ": index " + next + " at position " + j
                            + " is not below the segment length " + length);
                }
                idx[j] = (int) next;
                prev = next;
            }
        } catch (KryoException e) {
            throw new CorruptMessageException("truncated " + what + ": stream ended after " + j
                    + " of " + count + " indices", e);
        }
        return idx;
    }

    /** Reads the packed coding of {@code count} indices below {@code length}. */
    public static int[] readPacked(Input in, int count, int length, String what) {
        long blocks = (count + BLOCK - 1L) / BLOCK;
        long maxBytes = (blocks * WIDTH_BITS + 32L * count + 7) >>> 3;
        int nbytes = WireLimits.readCount(in, 0, (int) Math.min(Integer.MAX_VALUE, maxBytes), what + " byte count");
        byte[] bytes = WireLimits.readBytes(in, nbytes, what);
        BitReader r = new BitReader(bytes);
        int[] idx = new int[count];
        long prev = -1;
        long bits = 0;
        for (int start = 0; start < count; start += BLOCK) {
            int end = Math.min(count, start + BLOCK);
            int width = r.read(WIDTH_BITS);
            if (width > 32) {
                throw new CorruptMessageException(what + ": block " + (start / BLOCK) + " has bit width "
                        + width + ", allowed 0..32");
            }
            bits += WIDTH_BITS + (long) (end - start) * width;
            if ((bits + 7) >>> 3 > nbytes) {
                throw new CorruptMessageException(what + ": block " + (start / BLOCK) + " needs "
                        + ((bits + 7) >>> 3) + " bytes, only " + nbytes + " were sent");
            }
            for (int j = start; j < end; j++) {
                long gap = width == 0 ? 0 : r.read(width) & 0xFFFFFFFFL;
                long next = prev + 1 + gap;
                if (next >= length) {
                    throw new CorruptMessageException(what + ": index " + next + " at position " + j
                            + " is not below the segment length " + length);
                }
                idx[j] = (int) next;
                prev = next;
            }
        }
        if ((bits + 7) >>> 3 != nbytes) {
            throw new CorruptMessageException(what + ": " + nbytes + " bytes sent for " + bits
                    + " bits of indices");
        }
        return idx;
    }
}
