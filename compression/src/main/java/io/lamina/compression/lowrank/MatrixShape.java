package io.lamina.compression.lowrank;

import io.lamina.compression.Segment;

/**
 * How a segment of L floats is viewed as an n x m matrix M for low-rank compression, read in
 * row-major order: {@code M[i][j] = values[offset + i * m + j]}.
 *
 * <ul>
 *   <li>A segment whose {@link Segment#shape()} has two or more dimensions whose product is L is
 *       read as {@code shape[0] x (L / shape[0])}: a 2-D weight [rows, cols] as rows x cols, a
 *       convolution kernel [out, in, kh, kw] as out x (in * kh * kw), as in the PowerSGD paper.
 *       The shape is taken in row-major (C) order: a producer whose tensor is stored column-major
 *       (DL4J's dense weights, order 'f') should give the reversed shape so that the rows are
 *       the tensor's real rows (a transposed view has the same rank, a scrambled one does not).</li>
 *   <li>Any other segment (1-D biases, fused buckets and the entire model, whose shape is empty or
 *       one-dimensional) is folded into a near-square matrix: {@code m = ceil(sqrt(L))} columns and
 *       {@code n = ceil(L / m)} rows, the last row padded with fewer than m implicit zeros. The
 *       padding is never sent or written back; it only completes the matrix.</li>
 * </ul>
 *
 * <p>{@code padded()} is {@code n * m - L} (zero for a real tensor shape).
 */
public record MatrixShape(int length, int rows, int cols) {

    public MatrixShape {
        if (length < 1 || rows < 1 || cols < 1 || (long) rows * cols < length
                || (long) (rows - 1) * cols >= length) {
            throw new IllegalArgumentException("a " + rows + " x " + cols
                    + " matrix cannot hold exactly " + length + " elements with a partial last row");
        }
    }

    /** The matrix view of {@code segment}, by the rules above. */
    public static MatrixShape of(Segment segment) {
        int length = segment.length();
        int[] shape = segment.shape();
        if (shape.length >= 2) {
            long product = 1;
            for (int d : shape) {
                product *= d;
            }
            if (product == length && shape[0] >= 1) {
                return new MatrixShape(length, shape[0], length / shape[0]);
            }
        }
        return nearSquare(length);
    }

    /** The near-square fold of a vector of {@code length} elements. */
    public static MatrixShape nearSquare(int length) {
        int cols = (int) Math.sqrt(length);
        while ((long) cols * cols < length) {
            cols++;
        }
        int rows = (int) ((length + (long) cols - 1) / cols);
        return new MatrixShape(length, rows, cols);
    }

    /** Number of implicit zero elements completing the last row. */
    public int padded() {
        return (int) ((long) rows * cols - length);
    }

    /** The rank actually used at a requested rank: at most min(rows, cols). */
    public int effectiveRank(int rank) {
        return Math.min(rank, Math.min(rows, cols));
    }

    /**
     * Whether factors of rank {@code rank} are at most half the dense segment:
     * {@code 2 (n + m) r <= L}. Otherwise (small segments such as biases, and rank-deficient ones
     * where r would reach min(n, m)) the segment is sent dense, as the paper does for biases: a
     * second aggregation round is not worth a saving of less than 2x.
     */
    public boolean compressible(int rank) {
        return 2L * (rows + cols) * effectiveRank(rank) <= length;
    }
}
