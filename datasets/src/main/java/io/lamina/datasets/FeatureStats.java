package io.lamina.datasets;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Per-feature count, mean, sum of squared deviations (M2), minimum and maximum over a set of
 * examples, in double precision. Partial results from pieces of a data set combine with
 * {@link #merge} (Chan, Golub and LeVeque's pairwise update), so one pass over the pieces gives
 * the whole set's figures. A shorter partial (a sparse piece that never saw the last features)
 * counts its missing features as zeros. Accumulate with {@link Accumulator}.
 */
public final class FeatureStats {
    private final long count;
    private final double[] mean;
    private final double[] m2;
    private final double[] min;
    private final double[] max;

    private FeatureStats(long count, double[] mean, double[] m2, double[] min, double[] max) {
        this.count = count;
        this.mean = mean;
        this.m2 = m2;
        this.min = min;
        this.max = max;
    }

    /** No examples. */
    public static FeatureStats empty() {
        return new FeatureStats(0, new double[0], new double[0], new double[0], new double[0]);
    }

    /** Examples seen. */
    public long count() {
        return count;
    }

    /** Features with figures (zeros beyond). */
    public int features() {
        return mean.length;
    }

    public double mean(int j) {
        return j < mean.length ? mean[j] : 0;
    }

    /** Population variance: M2 / count (0 for no examples). */
    public double variance(int j) {
        return count == 0 || j >= m2.length ? 0 : m2[j] / count;
    }

    public double min(int j) {
        return j < min.length ? min[j] : 0;
    }

    public double max(int j) {
        return j < max.length ? max[j] : 0;
    }

    /** These figures without feature 0, the others moved down by one (a one-based file's empty slot 0). */
    public FeatureStats dropFirst() {
        if (mean.length == 0) {
            return this;
        }
        return new FeatureStats(count, Arrays.copyOfRange(mean, 1, mean.length), Arrays.copyOfRange(m2, 1, m2.length),
                Arrays.copyOfRange(min, 1, min.length), Arrays.copyOfRange(max, 1, max.length));
    }

    /** The figures of both sets together. Not associative to the last bit: merge in a fixed order. */
    public static FeatureStats merge(FeatureStats a, FeatureStats b) {
        if (a.count == 0) {
            return b;
        }
        if (b.count == 0) {
            return a;
        }
        int f = Math.max(a.features(), b.features());
        long n = a.count + b.count;
        double[] mean = new double[f];
        double[] m2 = new double[f];
        double[] min = new double[f];
        double[] max = new double[f];
        double wa = (double) a.count / n;
        double wb = (double) b.count / n;
        double cross = (double) a.count * b.count / n;
        for (int j = 0; j < f; j++) {
            double delta = b.mean(j) - a.mean(j);
            mean[j] = a.mean(j) * wa + b.mean(j) * wb;
            m2[j] = (j < a.m2.length ? a.m2[j] : 0) + (j < b.m2.length ? b.m2[j] : 0) + delta * delta * cross;
            min[j] = Math.min(a.min(j), b.min(j));
            max[j] = Math.max(a.max(j), b.max(j));
        }
        return new FeatureStats(n, mean, m2, min, max);
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + 32 * mean.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(count);
            out.writeInt(mean.length);
            for (double[] a : new double[][] {mean, m2, min, max}) {
                for (double v : a) {
                    out.writeDouble(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads what {@link #toBytes} wrote; the length is checked against the bytes there are. */
    public static FeatureStats fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long count = in.readLong();
            int f = in.readInt();
            if (count < 0 || f < 0 || 12L + 32L * f != bytes.length) {
                throw new IllegalArgumentException("feature statistics of " + bytes.length + " bytes claim " + f
                        + " features and " + count + " examples");
            }
            double[][] a = new double[4][f];
            for (double[] row : a) {
                for (int j = 0; j < f; j++) {
                    row[j] = in.readDouble();
                }
            }
            return new FeatureStats(count, a[0], a[1], a[2], a[3]);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated feature statistics", e);
        }
    }

    /**
     * Adds examples one by one, all dense or all sparse. Sums are kept around a per-feature shift
     * (the feature's first value), so features with a large mean and a small spread keep their
     * precision; a sparse example's absent features are zeros.
     */
    public static final class Accumulator {
        private long rows;
        private boolean dense;
        private int size;
        private double[] shift = new double[0];
        private double[] s1 = new double[0];
        private double[] s2 = new double[0];
        private double[] lo = new double[0];
        private double[] hi = new double[0];
        /** Sparse mode: how many examples had feature j. */
        private long[] present = new long[0];

        /** An example with features {@code values[0 .. count)}; every dense example has the same count. */
        public void addDense(float[] values, int count) {
            if (rows == 0) {
                dense = true;
                grow(count);
                for (int j = 0; j < count; j++) {
                    shift[j] = values[j];
                    lo[j] = values[j];
                    hi[j] = values[j];
                }
            } else if (!dense || count != size) {
                throw new IllegalArgumentException("a dense example of " + count + " features after examples of "
                        + size + (dense ? "" : " (sparse)"));
            }
            for (int j = 0; j < count; j++) {
                double x = values[j];
                double d = x - shift[j];
                s1[j] += d;
                s2[j] += d * d;
                if (x < lo[j]) {
                    lo[j] = x;
                } else if (x > hi[j]) {
                    hi[j] = x;
                }
            }
            rows++;
        }

        /** An example whose features {@code indices[i]} are {@code values[i]} and all others 0. */
        public void addSparse(int[] indices, float[] values, int count) {
            if (dense) {
                throw new IllegalArgumentException("a sparse example after dense ones");
            }
            for (int i = 0; i < count; i++) {
                int j = indices[i];
                grow(j + 1);
                double x = values[i];
                if (present[j]++ == 0) {
                    shift[j] = x;
                    lo[j] = x;
                    hi[j] = x;
                }
                double d = x - shift[j];
                s1[j] += d;
                s2[j] += d * d;
                lo[j] = Math.min(lo[j], x);
                hi[j] = Math.max(hi[j], x);
            }
            rows++;
        }

        private void grow(int f) {
            if (f > shift.length) {
                int n = Math.max(f, shift.length * 2);
                shift = Arrays.copyOf(shift, n);
                s1 = Arrays.copyOf(s1, n);
                s2 = Arrays.copyOf(s2, n);
                lo = Arrays.copyOf(lo, n);
                hi = Arrays.copyOf(hi, n);
                present = Arrays.copyOf(present, n);
            }
            size = Math.max(size, f);
        }

        /** The figures of the examples added so far. */
        public FeatureStats finish() {
            if (rows == 0) {
                return empty();
            }
            double[] mean = new double[size];
            double[] m2 = new double[size];
            double[] min = new double[size];
            double[] max = new double[size];
            for (int j = 0; j < size; j++) {
                long seen = dense ? rows : present[j];
                long zeros = rows - seen;
                double sum = s1[j] - zeros * shift[j]; // each absent zero adds (0 - shift)
                double sumSq = s2[j] + zeros * shift[j] * shift[j];
                mean[j] = shift[j] + sum / rows;
                m2[j] = Math.max(0, sumSq - sum * sum / rows);
                min[j] = seen == 0 ? 0 : zeros > 0 ? Math.min(lo[j], 0) : lo[j];
                max[j] = seen == 0 ? 0 : zeros > 0 ? Math.max(hi[j], 0) : hi[j];
            }
            return new FeatureStats(rows, mean, m2, min, max);
        }
    }
}
