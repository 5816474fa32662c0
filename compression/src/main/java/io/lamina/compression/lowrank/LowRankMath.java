package io.lamina.compression.lowrank;

import java.util.Random;

/**
 * The dense kernels of PowerSGD on a segment viewed as an n x m row-major matrix M (see
 * {@link MatrixShape}; elements past the segment's length are implicit zeros) and column-major
 * factors (element (i, k) of an n x r factor is {@code f[k * n + i]}). Every loop has a fixed
 * order and Java's strict floating point, so the results are the same bits on every JVM.
 */
final class LowRankMath {

    private LowRankMath() {
    }

    /**
     * P = M Q: {@code p} (n x r) from M and {@code q} (m x r). Each row of M is read once per
     * pair of columns of Q, with two accumulators per column (fixed order: same bits everywhere).
     */
    static void multiply(float[] v, int off, MatrixShape s, float[] q, int r, float[] p) {
        int n = s.rows();
        int m = s.cols();
        int len = s.length();
        for (int i = 0; i < n; i++) {
            int base = off + i * m;
            int end = Math.min(m, len - i * m);
            int k = 0;
            for (; k + 1 < r; k += 2) {
                int qa = k * m;
                int qb = qa + m;
                float a0 = 0;
                float a1 = 0;
                float b0 = 0;
                float b1 = 0;
                int j = 0;
                for (; j + 1 < end; j += 2) {
                    float x0 = v[base + j];
                    float x1 = v[base + j + 1];
                    a0 += x0 * q[qa + j];
                    a1 += x1 * q[qa + j + 1];
                    b0 += x0 * q[qb + j];
                    b1 += x1 * q[qb + j + 1];
                }
                if (j < end) {
                    a0 += v[base + j] * q[qa + j];
                    b0 += v[base + j] * q[qb + j];
                }
                p[k * n + i] = a0 + a1;
                p[(k + 1) * n + i] = b0 + b1;
            }
            if (k < r) {
                int qa = k * m;
                float a0 = 0;
                float a1 = 0;
                int j = 0;
                for (; j + 1 < end; j += 2) {
                    a0 += v[base + j] * q[qa + j];
                    a1 += v[base + j + 1] * q[qa + j + 1];
                }
                if (j < end) {
                    a0 += v[base + j] * q[qa + j];
                }
                p[k * n + i] = a0 + a1;
            }
        }
    }

    /** Q = M^T P: {@code q} (m x r) from M and {@code p} (n x r), accumulated row by row of M, two columns per pass. */
    static void multiplyTransposed(float[] v, int off, MatrixShape s, float[] p, int r, float[] q) {
        int n = s.rows();
        int m = s.cols();
        int len = s.length();
        java.util.Arrays.fill(q, 0, m * r, 0f);
        for (int i = 0; i < n; i++) {
            int base = off + i * m;
            int end = Math.min(m, len - i * m);
            int k = 0;
            for (; k + 1 < r; k += 2) {
                float a = p[k * n + i];
                float b = p[(k + 1) * n + i];
                int qa = k * m;
                int qb = qa + m;
                for (int j = 0; j < end; j++) {
                    float x = v[base + j];
                    q[qa + j] += a * x;
                    q[qb + j] += b * x;
                }
            }
            if (k < r) {
                float a = p[k * n + i];
                int qa = k * m;
                for (int j = 0; j < end; j++) {
                    q[qa + j] += a * v[base + j];
                }
            }
        }
    }

    /**
     * Writes {@code scale * P Q^T} for the segment's {@code length} elements (the padding is not
     * written) into {@code dst[dstOffset, ...)}; k ascending, so the bits are fixed.
     */
    static void outer(float[] p, float[] q, int r, MatrixShape s, float scale, float[] dst, int dstOffset) {
        int n = s.rows();
        int m = s.cols();
        int len = s.length();
        for (int i = 0; i < n; i++) {
            int base = dstOffset + i * m;
            int end = Math.min(m, len - i * m);
            float a0 = p[i] * scale;
            for (int j = 0; j < end; j++) {
                dst[base + j] = a0 * q[j];
            }
            for (int k = 1; k < r; k++) {
                float a = p[k * n + i] * scale;
                int qb = k * m;
                for (int j = 0; j < end; j++) {
                    dst[base + j] += a * q[qb + j];
                }
            }
        }
    }

    /**
     * A column whose length is at most this fraction of what it was before the earlier columns
     * were removed from it (or of the longest column, for {@link #redrawZeroColumns}) counts as
     * numerically zero: it carries no direction of its own, only rounding noise.
     */
    static final double NUMERICALLY_ZERO = 1e-6;

    /**
     * Orthonormalises the r columns of the column-major n x r matrix {@code f} in place by
     * modified Gram-Schmidt in double precision (the paper's ORTHOGONALIZE). A column that is
     * (numerically) zero after removing the earlier ones (M of rank below r, or M = 0) is
     * re-drawn i.i.d. standard normal from {@code redraw}, as the paper initialises Q, and
     * orthonormalised against the earlier ones; so the result always has r orthonormal columns
     * (r <= n) and a lost rank comes back.
     */
    static void orthonormalise(float[] f, int n, int r, Random redraw) {
        double[] d = new double[n * r];
        for (int i = 0; i < n * r; i++) {
            d[i] = f[i];
        }
        double[] before = new double[r];
        for (int k = 0; k < r; k++) {
            before[k] = norm(d, k * n, n);
        }
        for (int k = 0; k < r; k++) {
            int kb = k * n;
            double norm = norm(d, kb, n);
            if (!(norm > NUMERICALLY_ZERO * before[k]) || !Double.isFinite(norm)) {
                for (int i = 0; i < n; i++) {
                    d[kb + i] = redraw.nextGaussian();
                }
                for (int pass = 0; pass < 2; pass++) { // twice is enough against a random column
                    for (int l = 0; l < k; l++) {
                        subtractProjection(d, l * n, kb, n);
                    }
                }
                norm = norm(d, kb, n);
            }
            double inv = 1.0 / norm;
            for (int i = 0; i < n; i++) {
                d[kb + i] *= inv;
            }
            for (int l = k + 1; l < r; l++) {
                subtractProjection(d, kb, l * n, n);
            }
        }
        for (int i = 0; i < n * r; i++) {
            f[i] = (float) d[i];
        }
    }

    /**
     * Re-draws, i.i.d. standard normal from {@code redraw}, every column of the column-major
     * m x r matrix {@code q} that is numerically zero (all zero, or shorter than
     * {@link #NUMERICALLY_ZERO} times the longest column); returns whether it changed any. A
     * warm-start Q with a zero column would give P a zero column at every later step.
     */
    static boolean redrawZeroColumns(float[] q, int m, int r, Random redraw) {
        double longest = 0;
        for (int k = 0; k < r; k++) {
            longest = Math.max(longest, norm(q, k * m, m));
        }
        boolean changed = false;
        for (int k = 0; k < r; k++) {
            double norm = norm(q, k * m, m);
            if (norm == 0 || norm <= NUMERICALLY_ZERO * longest) {
                for (int i = 0; i < m; i++) {
                    q[k * m + i] = (float) redraw.nextGaussian();
                }
                changed = true;
            }
        }
        return changed;
    }

    private static double norm(double[] d, int base, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += d[base + i] * d[base + i];
        }
        return Math.sqrt(s);
    }

    private static double norm(float[] f, int base, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) f[base + i] * f[base + i];
        }
        return Math.sqrt(s);
    }

    /** Column {@code to} -= (unit column {@code from} . column {@code to}) column {@code from}. */
    private static void subtractProjection(double[] d, int from, int to, int n) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
            dot += d[from + i] * d[to + i];
        }
        for (int i = 0; i < n; i++) {
            d[to + i] -= dot * d[from + i];
        }
    }

    /** A Gaussian m x r matrix from {@code seed} (java.util.Random: specified, so the same everywhere), orthonormalised. */
    static float[] randomOrthonormal(long seed, int m, int r) {
        Random rnd = new Random(seed);
        float[] q = new float[m * r];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) rnd.nextGaussian();
        }
        orthonormalise(q, m, r, rnd);
        return q;
    }
}
