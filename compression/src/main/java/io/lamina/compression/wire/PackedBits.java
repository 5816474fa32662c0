package io.lamina.compression.wire;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Arrays;

/**
 * Bit-packed payloads held as {@code long} words (bit i of the stream is bit {@code i & 63} of
 * word {@code i >>> 6}) and written as exactly {@code ceil(bits / 8)} little-endian bytes. Reading
 * allocates in chunks as bytes arrive (a corrupt count cannot allocate hugely) and rejects
 * non-zero padding bits, so every accepted stream is the canonical one.
 */
public final class PackedBits {

    private static final int CHUNK_WORDS = 1 << 14;

    private PackedBits() {
    }

    /** Number of words holding {@code bits} bits. */
    public static int words(long bits) {
        return (int) ((bits + 63) >>> 6);
    }

    /** Writes the first {@code bits} bits of {@code words} as {@code ceil(bits / 8)} bytes. */
    public static void write(Output out, long[] words, long bits) {
        int bytes = (int) ((bits + 7) >>> 3);
        int full = bytes >>> 3;
        for (int i = 0; i < full; i++) {
            out.writeLong(Long.reverseBytes(words[i]));
        }
        int tail = bytes - (full << 3);
        if (tail > 0) {
            long last = words[full];
            for (int b = 0; b < tail; b++) {
                out.writeByte((byte) (last >>> (b << 3)));
            }
        }
    }

    /**
     * Reads {@code bits} bits written by {@link #write}.
     *
     * @throws CorruptMessageException if the stream ends early or a padding bit is set
     */
    public static long[] read(Input in, long bits, String what) {
        int n = words(bits);
        int bytes = (int) ((bits + 7) >>> 3);
        int full = bytes >>> 3;
        long[] w = new long[Math.min(n, CHUNK_WORDS)];
        int i = 0;
        try {
            for (; i < full; i++) {
                if (i == w.length) {
                    w = Arrays.copyOf(w, (int) Math.min(n, 2L * w.length));
                }
                w[i] = Long.reverseBytes(in.readLong());
            }
            int tail = bytes - (full << 3);
            if (tail > 0) {
                if (i == w.length) {
                    w = Arrays.copyOf(w, n);
                }
                long last = 0;
                for (int b = 0; b < tail; b++) {
                    last |= (in.readByte() & 0xFFL) << (b << 3);
                }
                w[full] = last;
            }
        } catch (KryoException e) {
            throw new CorruptMessageException("truncated " + what + ": expected " + bytes
                    + " bytes of packed bits, stream ended after about " + (8L * i), e);
        }
        int used = (int) (bits & 63);
        if (used != 0 && (w[n - 1] >>> used) != 0) {
            throw new CorruptMessageException(what + ": non-zero padding bits after bit " + bits);
        }
        return w;
    }

    /** The {@code width}-bit code at index {@code i} (1 <= width <= 32). */
    public static int get(long[] words, long i, int width) {
        long bit = i * width;
        int wi = (int) (bit >>> 6);
        int sh = (int) (bit & 63);
        long v = words[wi] >>> sh;
        if (sh + width > 64) {
            v |= words[wi + 1] << (64 - sh);
        }
        return (int) (v & ((1L << width) - 1));
    }
}
