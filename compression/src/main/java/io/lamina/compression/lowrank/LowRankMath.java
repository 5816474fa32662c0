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
     * Orthonormalises the r columns of the column-major n x r matrix {@code f} in place by
     * modified Gram-Schmidt in double precision (the paper's ORTHOGONALIZE). A column that is
     * zero after removing the earlier ones (M of rank below r, or M = 0) is set to zero, so it
     * contributes nothing to P Q^T, instead of dividing by zero.
     */
    static void orthonormalise(float[] f, int n, int r) {
        double[] d = new double[n * r];
        for (int i = 0; i < n * r; i++) {
            d[i] = f[i];
        }
        for (int k = 0; k < r; k++) {
            int kb = k * n;
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += d[kb + i] * d[kb + i];
            }
            norm = Math.sqrt(norm);
            double inv = norm > 0 && Double.isFinite(norm) ? 1.0 / norm : 0.0;
            for (int i = 0; i < n; i++) {
                d[kb + i] *= inv;
            }
            for (int l = k + 1; l < r; l++) {
                int lb = l * n;
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += d[kb + i] * d[lb + i];
                }
                for (int i = 0; i < n; i++) {
                    d[lb + i] -= dot * d[kb + i];
                }
            }
        }
        for (int i = 0; i < n * r; i++) {
            f[i] = (float) d[i];
        }
    }

    /** A Gaussian m x r matrix from {@code seed} (java.util.Random: specified, so the same everywhere), orthonormalised. */
    static float[] randomOrthonormal(long seed, int m, int r) {
        Random rnd = new Random(seed);
        float[] q = new float[m * r];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) rnd.nextGaussian();
        }
        orthonormalise(q, m, r);
        return q;
    }
}
