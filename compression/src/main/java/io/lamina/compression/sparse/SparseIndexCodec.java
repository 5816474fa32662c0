package io.lamina.compression.sparse;

import io.lamina.compression.bits.BitReader;
import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.PackedBits;
import io.lamina.compression.bits.WireLimits;
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
            bytes += WireLimits.varIntSize(idx[j] - prev - 1);
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
        return WireLimits.varIntSize(bytes) + (long) bytes;
    }

    /**
     * The coding {@code SparseMessageSerializer} picks: {@link #VARINT} if its bytes are at most
     * {@link #packedBytes}, else {@link #PACKED}; both sizes from one pass over the gaps.
     */
    public static int smallerCoding(int[] idx, int n) {
        long varint = 0;
        long bits = 0;
        int prev = -1;
        for (int start = 0; start < n; start += BLOCK) {
            int end = Math.min(n, start + BLOCK);
            int max = 0;
            for (int j = start; j < end; j++) {
                int g = idx[j] - prev - 1;
                max |= g;
                varint += (38 - Integer.numberOfLeadingZeros(g | 1)) / 7; // WireLimits.varIntSize(g), branch-free
                prev = idx[j];
            }
            bits += WIDTH_BITS + (long) (end - start) * width(max);
        }
        int bytes = (int) ((bits + 7) >>> 3);
        return varint <= WireLimits.varIntSize(bytes) + (long) bytes ? VARINT : PACKED;
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

    /**
     * Writes the packed coding: the byte count, then the bit stream, built in long words (bit k
     * of the stream is bit {@code k & 63} of word {@code k >>> 6}, so the words' little-endian
     * bytes are the LSB-first stream).
     */
    public static void writePacked(Output out, int[] idx, int n) {
        long bits = packedBits(idx, n);
        long[] words = new long[PackedBits.words(bits) + 1];
        long acc = 0;
        int filled = 0;
        int wi = 0;
        int prev = -1;
        for (int start = 0; start < n; start += BLOCK) {
            int end = Math.min(n, start + BLOCK);
            int max = 0;
            for (int j = start, p = prev; j < end; j++) {
                max |= idx[j] - p - 1;
                p = idx[j];
            }
            int width = width(max);
            acc |= (long) width << filled;
            filled += WIDTH_BITS;
            if (filled >= 64) {
                words[wi++] = acc;
                filled -= 64;
                acc = filled == 0 ? 0 : (long) width >>> (WIDTH_BITS - filled);
            }
            if (width == 0) {
                prev = idx[end - 1];
                continue;
            }
            for (int j = start; j < end; j++) {
                long g = (idx[j] - prev - 1) & 0xFFFFFFFFL;
                prev = idx[j];
                acc |= g << filled;
                filled += width;
                if (filled >= 64) {
                    words[wi++] = acc;
                    filled -= 64;
                    acc = filled == 0 ? 0 : g >>> (width - filled);
                }
            }
        }
        if (filled > 0) {
            words[wi] = acc;
        }
        int nbytes = (int) ((bits + 7) >>> 3);
        java.nio.ByteBuffer le = java.nio.ByteBuffer.allocate(8 * words.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        le.asLongBuffer().put(words);
        out.writeVarInt(nbytes, true);
        // plain bytes, read back by readBytes whatever the stream class (not PackedBits.write,
        // whose words other stream classes write in their own byte order)
        out.writeBytes(le.array(), 0, nbytes);
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
