package io.lamina.compression.quant;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * Per-call working arrays of a block-wise encoder (blocks of at most {@link CounterHash#BLOCK}
 * elements) and the reinterpreting copies JDK 17's C2 does not vectorise as loops
 * ({@code Float.floatToRawIntBits} / {@code intBitsToFloat} over an array): they go through a
 * little-endian heap {@link ByteBuffer} whose bulk view transfers are memory copies (C2 does
 * not vectorise narrowing stores either: a loop storing into a short[] ran at over 1 ns per
 * element). The same buffer turns a block of byte codes into packed little-endian long words.
 */
final class BlockScratch {

    final int[] ints;
    final int[] ints2;
    final float[] floats;
    final float[] floats2;
    final float[] floats3;
    final byte[] bytes;
    final long[] longs;
    final long[] longs2;
    private final ByteBuffer buf;
    private final FloatBuffer fb;
    private final IntBuffer ib;
    private final LongBuffer lb;

    /** Working arrays for blocks of up to {@code min(length, BLOCK)} elements. */
    BlockScratch(int length) {
        int n = Math.min(length, CounterHash.BLOCK);
        ints = new int[n];
        ints2 = new int[n];
        floats = new float[n];
        floats2 = new float[n];
        floats3 = new float[n];
        bytes = new byte[n];
        longs = new long[(n + 1) >>> 1];
        longs2 = new long[(n + 1) >>> 1];
        buf = ByteBuffer.allocate(4 * n + 8).order(ByteOrder.LITTLE_ENDIAN);
        fb = buf.asFloatBuffer();
        ib = buf.asIntBuffer();
        lb = buf.asLongBuffer();
    }

    /** dst[0..n) = the raw bits of src[off..off+n). */
    void bits(float[] src, int off, int n, int[] dst) {
        fb.clear();
        fb.put(src, off, n);
        ib.clear();
        ib.get(dst, 0, n);
    }

    /**
     * dst[k] = the raw bits of src[off + 2k] | those of src[off + 2k + 1] << 32, for the
     * {@code (n + 1) / 2} pairs of src[off..off+n); an odd n pairs the last value with 0f.
     */
    void pairs(float[] src, int off, int n, long[] dst) {
        fb.clear();
        fb.put(src, off, n);
        if ((n & 1) != 0) {
            fb.put(0f);
        }
        lb.clear();
        lb.get(dst, 0, (n + 1) >>> 1);
    }

    /** dst[k] = src[2k] | src[2k + 1] << 32 (as unsigned ints), for the n / 2 whole pairs. */
    void intPairs(int[] src, int n, long[] dst) {
        ib.clear();
        ib.put(src, 0, n & ~1);
        lb.clear();
        lb.get(dst, 0, n >>> 1);
    }

    /** dst[0..n) = the floats with the bits src[0..n). */
    void floats(int[] src, int n, float[] dst) {
        ib.clear();
        ib.put(src, 0, n);
        fb.clear();
        fb.get(dst, 0, n);
    }

    /**
     * {@code floats3[k] = scales[(done + k) / size]} for k in [0, n): the per-element scale of a
     * block {@code [done, done + n)} of a segment cut into buckets of {@code size}, for a block that
     * spans several buckets. Returns {@code floats3}.
     */
    float[] bucketScales(float[] scales, int done, int n, int size) {
        for (int k = 0; k < n; ) {
            int bk = (done + k) / size;
            int stop = (int) Math.min(n, (long) (bk + 1) * size - done);
            java.util.Arrays.fill(floats3, k, stop, scales[bk]);
            k = stop;
        }
        return floats3;
    }

    /**
     * The byte buffer's array ({@code 4 min(length, BLOCK) + 8} bytes), for kernels that pack
     * into it directly; {@link #bufToWords} then copies it out.
     */
    byte[] bufBytes() {
        return buf.array();
    }

    /** words[w0, w0 + count) = the buffer's first {@code 8 count} bytes as little-endian longs. */
    void bufToWords(int count, long[] words, int w0) {
        lb.clear();
        lb.get(words, w0, count);
    }

    /** Packs bytes[0..n) eight to a word (element k in bits 8 (k mod 8)) into words[w0..]. */
    void bytesToWords(int n, long[] words, int w0) {
        buf.clear();
        buf.put(bytes, 0, n);
        for (int k = n; (k & 7) != 0; k++) {
            buf.put((byte) 0);
        }
        lb.clear();
        lb.get(words, w0, (n + 7) >>> 3);
    }
}
