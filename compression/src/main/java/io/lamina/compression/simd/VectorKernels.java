package io.lamina.compression.simd;

import io.lamina.compression.bits.Half;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The codecs' inner loops (encoding and decoding) on eight float lanes (256 bits, AVX2), with
 * JDK 17's incubating Vector API. Only called when {@link Simd#ENABLED}: loading this class needs
 * the module {@code jdk.incubator.vector}. Each kernel gives exactly the bits of the scalar loop
 * it replaces (its caller's javadoc names it; the tests compare the two on random and special
 * values).
 * <p>
 * Why these and not others: JDK 17's C2 does not vectorise a loop that branches per element, packs
 * bits or mixes int and float views of a value, which is what threshold selection, sign packing
 * and the half-precision conversions are; here each becomes a few vector instructions per eight
 * elements (figures: compression/BENCHMARKS.md, "The vector kernels"). Kernels avoid
 * the API calls JDK 17 does not intrinsify on AVX2 ({@code VectorMask.toLong}, float
 * {@code reduceLanes} with a defined order).
 */
public final class VectorKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_128;
    private static final int LANES = 8;

    /**
     * WEIGHT[j] lane l holds the int 1 << ((8j + l) mod 32), the bit of element 8j + l in its half
     * word, as a float's raw bits (so a float blend can select it).
     */
    private static final FloatVector[] WEIGHT = new FloatVector[LANES];

    static {
        for (int j = 0; j < LANES; j++) {
            int[] w = new int[LANES];
            for (int l = 0; l < LANES; l++) {
                w[l] = 1 << ((LANES * j + l) & 31);
            }
            WEIGHT[j] = IntVector.fromArray(I, w, 0).reinterpretAsFloats();
        }
    }

    /** Lane l holds 1 << l. */
    private static final IntVector LANE_BIT = IntVector.fromArray(I, new int[] {1, 2, 4, 8, 16, 32, 64, 128}, 0);

    private VectorKernels() {
    }

    /** True if this CPU runs 256-bit float vectors natively. */
    static boolean hardwareSupported() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    }

    /**
     * Appends the elements of {@code x[offset + start, offset + end)} with {@code |x| >= t} (never
     * NaN) at {@code idx[c], val[c]}, as segment-relative indices in increasing order; returns the
     * new count. The caller guarantees room for {@code end - start} more. Eight elements are
     * tested per compare; a group with one hit stores it directly (at 1% density ~92% of the groups
     * have none and ~7% one), and only a group with several is walked element by element.
     */
    public static int selectAtLeast(float[] x, int offset, int start, int end, float t,
            int[] idx, float[] val, int c) {
        int i = start;
        for (int bound = start + ((end - start) & ~(LANES - 1)); i < bound; i += LANES) {
            VectorMask<Float> hit = FloatVector.fromArray(F, x, offset + i).abs()
                    .compare(VectorOperators.GE, t);
            if (hit.anyTrue()) {
                int first = hit.firstTrue();
                if (first == hit.lastTrue()) { // one hit, the usual case at low density: no branches
                    idx[c] = i + first;
                    val[c++] = x[offset + i + first];
                    continue;
                }
                // straight-line calls, no inner loop: C2 keeps the scan loop tight (a loop here
                // costs ~20% of the whole scan on this machine)
                int p = offset + i;
                c = keep(x[p], i, t, idx, val, c);
                c = keep(x[p + 1], i + 1, t, idx, val, c);
                c = keep(x[p + 2], i + 2, t, idx, val, c);
                c = keep(x[p + 3], i + 3, t, idx, val, c);
                c = keep(x[p + 4], i + 4, t, idx, val, c);
                c = keep(x[p + 5], i + 5, t, idx, val, c);
                c = keep(x[p + 6], i + 6, t, idx, val, c);
                c = keep(x[p + 7], i + 7, t, idx, val, c);
            }
        }
        for (; i < end; i++) {
            c = keep(x[offset + i], i, t, idx, val, c);
        }
        return c;
    }

    /**
     * Appends the segment-relative indices i in {@code [start, end)} whose key
     * {@code floatToRawIntBits(x[offset + i]) & 0x7FFFFFFF} is {@code >= key} (NaN ranks above
     * infinity) at {@code cand[c]}, in increasing order; returns the new count. The caller
     * guarantees room for {@code end - start} more. Top-k's candidate pass; the same grouping as
     * {@link #selectAtLeast}, compared on int keys.
     */
    public static int collectKeysAtLeast(float[] x, int offset, int start, int end, int key, int[] cand, int c) {
        int i = start;
        for (int bound = start + ((end - start) & ~(LANES - 1)); i < bound; i += LANES) {
            VectorMask<Integer> hit = FloatVector.fromArray(F, x, offset + i).reinterpretAsInts()
                    .and(0x7FFFFFFF).compare(VectorOperators.GE, key);
            if (hit.anyTrue()) {
                int first = hit.firstTrue();
                if (first == hit.lastTrue()) {
                    cand[c++] = i + first;
                    continue;
                }
                int p = offset + i;
                c = keepKey(x[p], i, key, cand, c);
                c = keepKey(x[p + 1], i + 1, key, cand, c);
                c = keepKey(x[p + 2], i + 2, key, cand, c);
                c = keepKey(x[p + 3], i + 3, key, cand, c);
                c = keepKey(x[p + 4], i + 4, key, cand, c);
                c = keepKey(x[p + 5], i + 5, key, cand, c);
                c = keepKey(x[p + 6], i + 6, key, cand, c);
                c = keepKey(x[p + 7], i + 7, key, cand, c);
            }
        }
        for (; i < end; i++) {
            c = keepKey(x[offset + i], i, key, cand, c);
        }
        return c;
    }

    private static int keepKey(float v, int i, int key, int[] cand, int c) {
        if ((Float.floatToRawIntBits(v) & 0x7FFFFFFF) >= key) {
            cand[c] = i;
            return c + 1;
        }
        return c;
    }

    private static int keep(float v, int i, float t, int[] idx, float[] val, int c) {
        if (Math.abs(v) >= t) {
            idx[c] = i;
            val[c] = v;
            return c + 1;
        }
        return c;
    }

    /**
     * Sign bits of {@code v[offset, offset + 64 full)} into {@code words[0, full)}: bit i is 1 iff
     * element i is {@code < 0f} (so -0.0 and NaN count as positive, which is why the test is a
     * float comparison and not the raw sign bit).
     */
    public static void packSigns(float[] v, int offset, int full, long[] words) {
        for (int w = 0; w < full; w++) {
            int base = offset + (w << 6);
            words[w] = signWord(v, base);
        }
    }

    /** The 64 sign bits of {@code v[base, base + 64)} ({@code < 0f} rule). */
    private static long signWord(float[] v, int base) {
        IntVector lo = negativeBits(v, base, 0).or(negativeBits(v, base, 1))
                .or(negativeBits(v, base, 2).or(negativeBits(v, base, 3)));
        IntVector hi = negativeBits(v, base, 4).or(negativeBits(v, base, 5))
                .or(negativeBits(v, base, 6).or(negativeBits(v, base, 7)));
        return (lo.reduceLanes(VectorOperators.OR) & 0xFFFFFFFFL)
                | (long) hi.reduceLanes(VectorOperators.OR) << 32;
    }

    /** Lane l: the bit of element 8j + l (its weight) if {@code v[base + 8j + l] < 0f}, else 0. */
    private static IntVector negativeBits(float[] v, int base, int j) {
        FloatVector x = FloatVector.fromArray(F, v, base + LANES * j);
        return FloatVector.zero(F).blend(WEIGHT[j], x.compare(VectorOperators.LT, 0f)).reinterpretAsInts();
    }

    /**
     * As {@link #packSigns} over {@code full} whole words, and returns the eight lane sums of
     * {@code |v|} added into {@code acc[0..8)} in double: for each word, lane l sums (in float,
     * j = 0..7 in order) {@code |v[base + 8j + l]|}, and that float is added to {@code acc[l]}.
     */
    public static void packSignsAbsSum(float[] v, int offset, int full, long[] words, double[] acc) {
        DoubleVector a0 = DoubleVector.fromArray(D, acc, 0);
        DoubleVector a1 = DoubleVector.fromArray(D, acc, 4);
        for (int w = 0; w < full; w++) {
            int base = offset + (w << 6);
            words[w] = signWord(v, base);
            FloatVector s = FloatVector.fromArray(F, v, base).abs();
            for (int j = 1; j < LANES; j++) {
                s = s.add(FloatVector.fromArray(F, v, base + LANES * j).abs());
            }
            a0 = a0.add(s.convertShape(VectorOperators.F2D, D, 0));
            a1 = a1.add(s.convertShape(VectorOperators.F2D, D, 1));
        }
        a0.intoArray(acc, 0);
        a1.intoArray(acc, 4);
    }

    /**
     * The inverse of {@link #packSigns} with two levels: element i of {@code dst[dstOffset, +64 full)}
     * becomes {@code low} if bit i of {@code words} is set, else {@code high} (bit for bit, signed
     * zeros and NaN payloads included).
     */
    public static void expandTwoLevel(long[] words, int full, float high, float low, float[] dst, int dstOffset) {
        IntVector hi = IntVector.broadcast(I, Float.floatToRawIntBits(high));
        IntVector lo = IntVector.broadcast(I, Float.floatToRawIntBits(low));
        for (int w = 0; w < full; w++) {
            long word = words[w];
            int base = dstOffset + (w << 6);
            for (int j = 0; j < LANES; j++) {
                // lane l tests bit 8j + l: the byte of the group, broadcast, against the lane's bit
                IntVector bits = IntVector.broadcast(I, (int) (word >>> (LANES * j)) & 0xFF).and(LANE_BIT);
                hi.blend(lo, bits.compare(VectorOperators.NE, 0)).reinterpretAsFloats().intoArray(dst, base + LANES * j);
            }
        }
    }

    /**
     * The inverse of {@link #toHalves}: codes {@code [0, n)} ({@code n} a multiple of 8; code k at
     * bits {@code 16 (k & 3)} of {@code words[k >>> 2]}) widened exactly to floats at
     * {@code dst[dstOffset + k]}, bit for bit {@link Half#fromHalf} / {@link Half#fromBfloat16}.
     * fp16: normal codes re-bias the exponent ({@code (h & 0x7FFF) << 13} plus 112 << 23), the
     * all-ones exponent (infinity, NaN with its payload) plus 224 << 23, subnormals are
     * {@code mantissa * 2^-24} by an exact int-to-float conversion; the sign is OR-ed back.
     */
    public static void fromHalves(long[] words, int n, boolean bf16, float[] dst, int dstOffset) {
        for (int k = 0; k < n; k += LANES) {
            IntVector h = LongVector.fromArray(L, words, k >>> 2).reinterpretAsShorts()
                    .convertShape(VectorOperators.S2I, I, 0).reinterpretAsInts().and(0xFFFF);
            IntVector bits;
            if (bf16) {
                bits = h.lanewise(VectorOperators.LSHL, 16);
            } else {
                IntVector a = h.and(0x7FFF);
                IntVector exp = a.lanewise(VectorOperators.LSHR, 10);
                IntVector shifted = a.lanewise(VectorOperators.LSHL, 13);
                IntVector normal = shifted.add(0x38000000);
                IntVector special = shifted.add(0x70000000);
                IntVector sub = ((FloatVector) a.convertShape(VectorOperators.I2F, F, 0)).mul(0x1p-24f)
                        .reinterpretAsInts();
                bits = normal.blend(special, exp.compare(VectorOperators.EQ, 0x1F))
                        .blend(sub, exp.compare(VectorOperators.EQ, 0))
                        .or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16));
            }
            bits.reinterpretAsFloats().intoArray(dst, dstOffset + k);
        }
    }

    /**
     * Half-precision codes of {@code v[offset, offset + n)}, element k at bits {@code 16 (k & 3)}
     * of {@code words[w0 + (k >>> 2)]} ({@code n} a multiple of 8, those words overwritten):
     * fp16 (round to nearest even, subnormals kept) or bf16 (round to nearest even). Lanes the
     * integer path cannot convert (fp16: beyond 65504, infinite or NaN; bf16: NaN) take
     * {@link Half}'s scalar conversion, so the result is bit for bit {@link Half#toHalf} /
     * {@link Half#toBfloat16}.
     */
    public static void toHalves(float[] v, int offset, int n, long[] words, int w0, boolean bf16) {
        for (int k = 0; k < n; k += LANES) {
            FloatVector x = FloatVector.fromArray(F, v, offset + k);
            IntVector b = x.reinterpretAsInts();
            IntVector h;
            boolean special;
            if (bf16) {
                IntVector t = b.add(b.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7FFF);
                h = t.lanewise(VectorOperators.LSHR, 16);
                special = b.and(0x7FFFFFFF).compare(VectorOperators.GT, 0x7F800000).anyTrue();
            } else {
                IntVector a = b.and(0x7FFFFFFF);
                // normal range: re-bias the exponent, round to nearest even on the dropped 13 bits
                IntVector normal = a.add(0xFFF - 0x38000000)
                        .add(a.lanewise(VectorOperators.LSHR, 13).and(1))
                        .lanewise(VectorOperators.LSHR, 13);
                // below 2^-14: adding 0.5f lets the FPU round |x| into the low mantissa bits
                IntVector sub = a.reinterpretAsFloats().add(0.5f).reinterpretAsInts().sub(0x3F000000);
                h = normal.blend(sub, a.compare(VectorOperators.LT, 0x38800000))
                        .or(b.lanewise(VectorOperators.LSHR, 16).and(0x8000));
                special = a.compare(VectorOperators.GE, 0x477FF000).anyTrue();
            }
            int w = w0 + (k >>> 2);
            h.convertShape(VectorOperators.I2S, S, 0).reinterpretAsLongs().intoArray(words, w);
            if (special) {
                for (int j = 0; j < LANES; j++) {
                    float e = v[offset + k + j];
                    long code = (bf16 ? Half.toBfloat16(e) : Half.toHalf(e)) & 0xFFFFL;
                    int shift = (j & 3) << 4;
                    int wj = w + (j >>> 2);
                    words[wj] = (words[wj] & ~(0xFFFFL << shift)) | code << shift;
                }
            }
        }
    }
}
