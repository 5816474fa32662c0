package io.lamina.compression.simd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The stochastic quantisers' inner loops (QSGD, TernGrad) on eight float lanes (256 bits, AVX2),
 * with JDK 17's incubating Vector API. Only called when {@link Simd#ENABLED}: loading this class
 * needs the module {@code jdk.incubator.vector}. Each kernel gives exactly the bits of the scalar
 * loop it replaces in {@code io.lamina.compression.quant} (same counter-hash words, the same float
 * operations in the same order, no FMA; the tests compare the two paths). Kernels work on whole
 * groups of eight (or forty) elements; the callers do the rest with their scalar code.
 * <p>
 * The counter hash is the one of {@code quant.CounterHash}: word i of the stream keyed by a
 * 64-bit seed is {@code lowbias32((i + (int) seed) * 0x9E3779B9 ^ (int) (seed >>> 32))}; its
 * uniform is the float {@code 1 + (word >>> 9) 2^-23} in [1, 2). Callers pass
 * {@code base = counter0 + (int) seed} and {@code k2 = (int) (seed >>> 32)}.
 * <p>
 * As in {@link VectorKernels}, no {@code VectorMask.toLong} and no float {@code reduceLanes} (JDK
 * 17 does not intrinsify them on AVX2, nor fix the float order); integer {@code reduceLanes(ADD)}
 * is exact in any order.
 */
public final class QuantKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final int LANES = 8;
    private static final int GOLDEN = 0x9E3779B9;
    private static final float MAGIC = 0x1.8p23f;
    private static final IntVector IOTA = IntVector.fromArray(I, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 0);
    private static final VectorShuffle<Long> SWAP_PAIRS = VectorShuffle.fromValues(LongVector.SPECIES_256, 1, 0, 3, 2);
    private static final VarHandle LE_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Trit weights: element e (0..39) of a 40-element group weighs 3^(e mod 5) << 8 ((e / 5) mod 4). */
    private static final IntVector[] TRIT_WEIGHT = new IntVector[6];

    static {
        int[] w = new int[48];
        for (int e = 0; e < 40; e++) {
            int p = 1;
            for (int k = 0; k < e % 5; k++) {
                p *= 3;
            }
            w[e < 20 ? e : e + 8] = p << (8 * ((e / 5) & 3));
        }
        // vectors 0, 1 and lanes 0-3 of 2 (elements 0..19) make the low int; lanes 4-7 of 2, then
        // 3 and 4 (elements 20..39, at e + 8) the high int: TRIT_WEIGHT 2 and 3 split vector 2
        for (int j = 0; j < 6; j++) {
            TRIT_WEIGHT[j] = IntVector.fromArray(I, w, 8 * j);
        }
    }

    private QuantKernels() {
    }

    /** The uniforms' raw bits {@code 0x3F800000 | (word >>> 9)} of the counters c with {@code g = c * 0x9E3779B9}. */
    private static IntVector unitBits(IntVector g, int k2) {
        IntVector h = g.lanewise(VectorOperators.XOR, k2);
        h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16));
        h = h.mul(0x7FEB352D);
        h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 15));
        h = h.mul(0x846CA68B);
        h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16));
        return h.lanewise(VectorOperators.LSHR, 9).or(0x3F800000);
    }

    /** The scalar form of the stream: word {@code counter} ({@code lo}, {@code k2}: the seed's halves). */
    private static int word(int counter, int lo, int k2) {
        int h = (counter + lo) * GOLDEN ^ k2;
        h ^= h >>> 16;
        h *= 0x7FEB352D;
        h ^= h >>> 15;
        h *= 0x846CA68B;
        return h ^ (h >>> 16);
    }

    /**
     * Sum of squares of {@code v[off, off + 256 chunks)} as {@code QsgdCompressor.sumOfSquares}
     * adds it: per chunk of 256, lane l sums {@code x * x} (rounded product, then rounded sum; no
     * FMA) of the elements {@code 8m + l}, m = 0..31 in order, from 0f; the chunk adds
     * {@code (((double) s0 + s1) + ((double) s2 + s3)) + (((double) s4 + s5) + ((double) s6 + s7))}
     * to the running double total, which starts at {@code total}.
     */
    public static double sumOfSquares(float[] v, int off, int chunks, double total, float[] lane) {
        for (int c = 0; c < chunks; c++) {
            int base = off + 256 * c;
            FloatVector acc = FloatVector.zero(F);
            for (int m = 0; m < 32; m++) {
                FloatVector x = FloatVector.fromArray(F, v, base + LANES * m);
                acc = acc.add(x.mul(x));
            }
            acc.intoArray(lane, 0);
            total += (((double) lane[0] + lane[1]) + ((double) lane[2] + lane[3]))
                    + (((double) lane[4] + lane[5]) + ((double) lane[6] + lane[7]));
        }
        return total;
    }

    /**
     * QSGD codes of one block, elements {@code [done, done + n)} of the segment at {@code v[off..]}
     * cut into buckets of {@code size} with scales {@code scales[e / size]}, into
     * {@code codes[0, n)}; then, if {@code w <= 16}, packed into {@code bytes} (see below) and the
     * number of packed codes ({@code n & ~7}) returned, else 0. Element e, with word e of the
     * stream keyed by {@code seed} (see the class comment) and its uniform u, and
     * {@code magic = 1.5 * 2^23}:
     * <pre>
     *   a = x * scale;  t = a + magic;  d = a - (t - magic);  z = d + ((u - 1.5f) + 2^-24);
     *   c = ((t - magic) + ms) + z;   code = min(twoS, max(0, floatToRawIntBits(c) - 0x4B400001))
     * </pre>
     * in fp32, each operation rounded, in this order ({@code QsgdCompressor.codes} and its cap);
     * eight elements per step, a bucket's last {@code run mod 8} one by one.
     */
    public static void qsgdBlock(float[] v, int off, int done, int n, int size, float[] scales,
            float ms, int twoS, long seed, int[] codes) {
        final int lo = (int) seed;
        final int k2 = (int) (seed >>> 32);
        final FloatVector magic = FloatVector.broadcast(F, MAGIC);
        final FloatVector msv = FloatVector.broadcast(F, ms);
        final FloatVector half = FloatVector.broadcast(F, 1.5f);
        final FloatVector tiny = FloatVector.broadcast(F, 0x1p-24f);
        final IntVector top = IntVector.broadcast(I, twoS);
        final IntVector zero = IntVector.zero(I);
        for (int k = 0; k < n; ) {
            int bk = (done + k) / size;
            int stop = (int) Math.min(n, (long) (bk + 1) * size - done);
            float scale = scales[bk];
            FloatVector sc = FloatVector.broadcast(F, scale);
            IntVector g = IOTA.add(done + k + lo).mul(GOLDEN); // counter * golden, stepped by 8 golden
            int body = k + ((stop - k) & ~(LANES - 1));
            int j = k;
            for (; j < body; j += LANES) {
                FloatVector u = unitBits(g, k2).reinterpretAsFloats();
                g = g.add(GOLDEN * LANES);
                FloatVector a = FloatVector.fromArray(F, v, off + done + j).mul(sc);
                FloatVector t = a.add(magic);
                FloatVector r = t.sub(magic);
                FloatVector d = a.sub(r);
                FloatVector z = d.add(u.sub(half).add(tiny));
                FloatVector c = r.add(msv).add(z);
                c.reinterpretAsInts().sub(0x4B400001).max(zero).min(top).intoArray(codes, j);
            }
            for (; j < stop; j++) {
                float u = Float.intBitsToFloat(0x3F800000 | (word(done + j, lo, k2) >>> 9));
                float a = v[off + done + j] * scale;
                float t = a + MAGIC;
                float d = a - (t - MAGIC);
                float z = d + ((u - 1.5f) + 0x1p-24f);
                codes[j] = Math.min(twoS, Math.max(0, Float.floatToRawIntBits((t - MAGIC + ms) + z) - 0x4B400001));
            }
            k = stop;
        }
    }

    /**
     * Packs {@code codes[0, 8 groups)} (each below 2^w, 2 <= w <= 16) at w bits each, code k at
     * bits {@code [k w, k w + w)} of a little-endian bit stream: eight codes fill exactly w bytes,
     * so group g is written at byte {@code g w} (an 8-byte store, and a second one at
     * {@code g w + 8} for w > 8; each later group overwrites the zeros past its predecessor's
     * end). The eight bytes after the packed groups are zeroed, so whole words can be copied out;
     * {@code bytes} needs {@code 8 groups + 16} bytes. Returns the number of codes packed. Kept
     * apart from {@link #qsgdBlock}: C2 (JDK 17) compiled this loop about twice as slow when it
     * shared a method with the code loop.
     */
    public static int packCodes(int[] codes, int groups, int w, byte[] bytes) {
        final int pairShift = 32 - w;
        final int w2 = 2 * w;
        final int w4 = 4 * w;
        if (w <= 8) { // a group is at most 8 bytes: one store
            for (int gi = 0; gi < groups; gi++) {
                LongVector p = IntVector.fromArray(I, codes, LANES * gi).reinterpretAsLongs();
                // lane j: code 2j | code 2j+1 << w (the codes' bits w..31 are zero)
                LongVector pair = p.and(0xFFFFFFFFL).or(p.lanewise(VectorOperators.LSHR, pairShift));
                // lanes 0 and 2: codes 0-3 and 4-7 at w bits each
                LongVector quad = pair.or(pair.rearrange(SWAP_PAIRS).lanewise(VectorOperators.LSHL, w2));
                LE_LONG.set(bytes, gi * w, quad.lane(0) | quad.lane(2) << w4);
            }
        } else { // 9 to 16 bytes: the low 64 bits, then the rest (w4 = 64 when w = 16)
            final int w4m1 = w4 - 1;
            final int hiShift = 64 - w4;
            for (int gi = 0; gi < groups; gi++) {
                LongVector p = IntVector.fromArray(I, codes, LANES * gi).reinterpretAsLongs();
                LongVector pair = p.and(0xFFFFFFFFL).or(p.lanewise(VectorOperators.LSHR, pairShift));
                LongVector quad = pair.or(pair.rearrange(SWAP_PAIRS).lanewise(VectorOperators.LSHL, w2));
                long q1 = quad.lane(2);
                int pos = gi * w;
                LE_LONG.set(bytes, pos, quad.lane(0) | q1 << w4m1 << 1);
                LE_LONG.set(bytes, pos + 8, q1 >>> hiShift);
            }
        }
        LE_LONG.set(bytes, groups * w, 0L);
        return groups << 3;
    }

    /**
     * TernGrad's statistics of {@code v[off, off + 256 chunks)} as {@code TernGradCompressor}
     * adds them: per chunk of 256, lane l sums {@code x} and {@code x * x} (rounded product, then
     * rounded sum; no FMA) of the elements {@code 8m + l}, m = 0..31 in order, from 0f; each chunk
     * adds {@code (((double) s0 + s1) + ((double) s2 + s3)) + (((double) s4 + s5) + ((double) s6 + s7))}
     * of its sums to {@code acc[0]} and of its squares to {@code acc[1]}. Returns the largest
     * {@code floatToRawIntBits(x) & 0x7FFFFFFF} (0 if there are no chunks).
     */
    public static int ternStats(float[] v, int off, int chunks, double[] acc, float[] lane) {
        IntVector max = IntVector.zero(I);
        double sum = acc[0];
        double ss = acc[1];
        for (int c = 0; c < chunks; c++) {
            int base = off + 256 * c;
            FloatVector s1 = FloatVector.zero(F);
            FloatVector s2 = FloatVector.zero(F);
            for (int m = 0; m < 32; m++) {
                FloatVector x = FloatVector.fromArray(F, v, base + LANES * m);
                s1 = s1.add(x);
                s2 = s2.add(x.mul(x));
                max = max.max(x.reinterpretAsInts().and(0x7FFFFFFF));
            }
            s1.intoArray(lane, 0);
            s2.intoArray(lane, LANES);
            sum += (((double) lane[0] + lane[1]) + ((double) lane[2] + lane[3]))
                    + (((double) lane[4] + lane[5]) + ((double) lane[6] + lane[7]));
            ss += (((double) lane[8] + lane[9]) + ((double) lane[10] + lane[11]))
                    + (((double) lane[12] + lane[13]) + ((double) lane[14] + lane[15]));
        }
        acc[0] = sum;
        acc[1] = ss;
        return max.reduceLanes(VectorOperators.MAX);
    }

    /**
     * TernGrad trits of one block, elements {@code [done, done + n)} of the segment at
     * {@code x[off..]} cut into buckets of {@code size} with scalers {@code st = scales[e / size]},
     * into {@code trits[0, n)} (pack them with {@link #packTrits}).
     * Element e, with word e of the stream keyed by {@code seed} and its uniform u:
     * {@code m = (u - 1f) * st - |x|} (fp32, in this order); kept iff m's sign bit is set and
     * {@code st != 0}; the trit (code + 1) is 1 if not kept, else 2 for a clear sign bit of x and 0
     * for a set one ({@code TernGradCompressor.margins} and {@code trits}).
     */
    public static void ternBlock(float[] x, int off, int done, int n, int size, float[] scales,
            long seed, int[] trits) {
        final int lo = (int) seed;
        final int k2 = (int) (seed >>> 32);
        final FloatVector one = FloatVector.broadcast(F, 1f);
        for (int k = 0; k < n; ) {
            int bk = (done + k) / size;
            int stop = (int) Math.min(n, (long) (bk + 1) * size - done);
            float st = scales[bk];
            FloatVector stv = FloatVector.broadcast(F, st);
            IntVector any = IntVector.broadcast(I, st != 0f ? -1 : 0);
            IntVector g = IOTA.add(done + k + lo).mul(GOLDEN);
            int body = k + ((stop - k) & ~(LANES - 1));
            int j = k;
            for (; j < body; j += LANES) {
                FloatVector u = unitBits(g, k2).reinterpretAsFloats();
                g = g.add(GOLDEN * LANES);
                FloatVector xv = FloatVector.fromArray(F, x, off + done + j);
                IntVector m = u.sub(one).mul(stv).sub(xv.abs()).reinterpretAsInts();
                IntVector keep = m.lanewise(VectorOperators.ASHR, 31).and(any); // -1 kept, 0 not
                IntVector sign = xv.reinterpretAsInts().lanewise(VectorOperators.ASHR, 31).or(1); // -1 or +1
                sign.and(keep).add(1).intoArray(trits, j);
            }
            int keepAny = st != 0f ? 1 : 0;
            for (; j < stop; j++) {
                float u = Float.intBitsToFloat(0x3F800000 | (word(done + j, lo, k2) >>> 9));
                float e = x[off + done + j];
                int keep = (Float.floatToRawIntBits((u - 1f) * st - Math.abs(e)) >>> 31) & keepAny;
                trits[j] = 1 + keep - 2 * (keep & (Float.floatToRawIntBits(e) >>> 31));
            }
            k = stop;
        }
    }

    /**
     * Packs the trits {@code trits[0, 40 groups)} (each 0, 1 or 2) five to a byte in base 3,
     * byte j = {@code t[5j] + 3 t[5j+1] + 9 t[5j+2] + 27 t[5j+3] + 81 t[5j+4]}, eight bytes to a
     * little-endian word, into {@code words[w0, w0 + groups)}: each trit is weighted by
     * 3^(e mod 5) 256^((e / 5) mod 4) and the two halves of a word (bytes 0-3, 4-7) are exact
     * integer lane sums. Returns {@code 40 groups}. Kept apart from {@link #ternBlock} (see
     * {@link #packCodes}).
     */
    public static int packTrits(int[] trits, int groups, long[] words, int w0) {
        final IntVector w0v = TRIT_WEIGHT[0];
        final IntVector w1v = TRIT_WEIGHT[1];
        final IntVector w2lo = TRIT_WEIGHT[2];
        final IntVector w2hi = TRIT_WEIGHT[3];
        final IntVector w3v = TRIT_WEIGHT[4];
        final IntVector w4v = TRIT_WEIGHT[5];
        for (int i = 0; i < groups; i++) {
            int b = 40 * i;
            IntVector t2 = IntVector.fromArray(I, trits, b + 16);
            IntVector low = IntVector.fromArray(I, trits, b).mul(w0v)
                    .add(IntVector.fromArray(I, trits, b + 8).mul(w1v)).add(t2.mul(w2lo));
            IntVector high = t2.mul(w2hi).add(IntVector.fromArray(I, trits, b + 24).mul(w3v))
                    .add(IntVector.fromArray(I, trits, b + 32).mul(w4v));
            words[w0 + i] = (low.reduceLanes(VectorOperators.ADD) & 0xFFFFFFFFL)
                    | (long) high.reduceLanes(VectorOperators.ADD) << 32;
        }
        return 40 * groups;
    }
}
