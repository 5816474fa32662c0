package io.lamina.compression.bits;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Bit-packed payloads held as {@code long} words (bit i of the stream is bit {@code i & 63} of
 * word {@code i >>> 6}) and written as exactly {@code ceil(bits / 8)} little-endian bytes. Reading
 * allocates in chunks as bytes arrive (a corrupt count cannot allocate hugely) and rejects
 * non-zero padding bits, so every accepted stream is the canonical one. Whole words go straight
 * into (or out of) a plain {@link Output}'s (or {@link Input}'s) buffer as little-endian longs,
 * as many as fit at a time; other streams, and whatever does not fit, take Kryo's own calls.
 */
public final class PackedBits {

    private static final int CHUNK_WORDS = 1 << 14;
    private static final VarHandle LE_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
        int i = 0;
        if (out.getClass() == Output.class) { // its buffer is the byte[] it writes (not Unsafe/NIO)
            while (i < full) {
                byte[] buf = out.getBuffer();
                int pos = out.position();
                int n = Math.min(full - i, (buf.length - pos) >>> 3);
                if (n == 0) { // let Kryo grow or flush the buffer
                    out.writeLong(Long.reverseBytes(words[i++]));
                    continue;
                }
                for (int end = i + n; i < end; i++, pos += 8) {
                    LE_LONG.set(buf, pos, words[i]);
                }
                out.setPosition(pos);
            }
        }
        for (; i < full; i++) {
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
        boolean direct = in.getClass() == Input.class;
        try {
            while (i < full) {
                if (i == w.length) {
                    w = Arrays.copyOf(w, (int) Math.min(n, 2L * w.length));
                }
                int m = 0;
                if (direct) { // words already in the buffer, up to the end of w
                    byte[] buf = in.getBuffer();
                    int pos = in.position();
                    m = Math.min(Math.min(full, w.length) - i, (in.limit() - pos) >>> 3);
                    for (int end = i + m; i < end; i++, pos += 8) {
                        w[i] = (long) LE_LONG.get(buf, pos);
                    }
                    in.setPosition(pos);
                }
                if (m == 0) { // let Kryo fill the buffer (or report the end of the stream)
                    w[i++] = Long.reverseBytes(in.readLong());
                }
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

    /**
     * Appends {@code n} codes of {@code width} bits (1 <= width <= 63), {@code codes[k] <
     * 2^width}, to the stream starting at bit 0 of {@code words[w0]}; the words it writes are
     * overwritten (a partial last word gets zero padding bits).
     */
    public static void pack(long[] codes, int n, int width, long[] words, int w0) {
        if (64 % width == 0) { // whole codes per word: no code straddles two words
            int per = 64 / width;
            int full = n / per;
            if (per == 4) { // unrolled: 16-bit codes (e.g. QSGD pairs at s = 64..127)
                for (int m = 0; m < full; m++) {
                    int k = 4 * m;
                    words[w0 + m] = codes[k] | codes[k + 1] << 16 | codes[k + 2] << 32 | codes[k + 3] << 48;
                }
            } else if (per == 8) { // unrolled: 8-bit codes (e.g. QSGD pairs at s = 4..7)
                for (int m = 0; m < full; m++) {
                    int k = 8 * m;
                    words[w0 + m] = codes[k] | codes[k + 1] << 8 | codes[k + 2] << 16 | codes[k + 3] << 24
                            | codes[k + 4] << 32 | codes[k + 5] << 40 | codes[k + 6] << 48 | codes[k + 7] << 56;
                }
            }
            for (int m = per == 4 || per == 8 ? full : 0; m < full; m++) {
                long acc = 0;
                int base = m * per;
                for (int j = 0, sh = 0; j < per; j++, sh += width) {
                    acc |= codes[base + j] << sh;
                }
                words[w0 + m] = acc;
            }
            if (full * per < n) {
                long acc = 0;
                for (int k = full * per, sh = 0; k < n; k++, sh += width) {
                    acc |= codes[k] << sh;
                }
                words[w0 + full] = acc;
            }
            return;
        }
        long acc = 0;
        int filled = 0;
        int wi = w0;
        for (int k = 0; k < n; k++) {
            long c = codes[k];
            acc |= c << filled;
            filled += width;
            if (filled >= 64) {
                words[wi++] = acc;
                filled -= 64;
                acc = c >>> (width - filled); // 0 when filled is 0 (c < 2^width)
            }
        }
        if (filled > 0) {
            words[wi] = acc;
        }
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
