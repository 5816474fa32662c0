package io.lamina.app.engine.protocol;

/**
 * What compression lost on a sampled step, per segment j, as squared norms summed over the
 * workers: the gradient g_j, the compressor's input e_j (g_j plus the memory's residual; e = g
 * without memory) and what was sent, s_j = D(C(e_j)). From them ({@link #relativeError},
 * {@link #omega}):
 * <ul>
 *   <li>relative error of what was sent: ||g_j - s_j||^2 / ||g_j||^2;</li>
 *   <li>the empirical Omega_j of the AAAI'20 analysis (Dutta et al.), the compressor's
 *       E||C(x) - x||^2 <= Omega ||x||^2 measured on its input: ||e_j - s_j||^2 / ||e_j||^2.</li>
 * </ul>
 * Ratios of sums over workers, so every worker's vector weighs by its norm. Merged by adding.
 *
 * @param sentVsGradient ||g_j - s_j||^2
 * @param gradient       ||g_j||^2
 * @param sentVsInput    ||e_j - s_j||^2
 * @param input          ||e_j||^2
 */
public record CompressionError(double[] sentVsGradient, double[] gradient, double[] sentVsInput, double[] input) {

    /** Zero sums for {@code segments} segments, to be filled by one worker. */
    public static CompressionError zeros(int segments) {
        return new CompressionError(new double[segments], new double[segments], new double[segments],
                new double[segments]);
    }

    public int segments() {
        return gradient.length;
    }

    /** Adds one segment's vectors: g, e and s over {@code length} elements (g at {@code gOffset}). */
    public void add(int j, float[] g, int gOffset, float[] e, float[] s, int length) {
        double dg = 0;
        double gg = 0;
        double de = 0;
        double ee = 0;
        for (int i = 0; i < length; i++) {
            double gi = g[gOffset + i];
            double ei = e[i];
            double si = s[i];
            dg += (gi - si) * (gi - si);
            gg += gi * gi;
            de += (ei - si) * (ei - si);
            ee += ei * ei;
        }
        sentVsGradient[j] += dg;
        gradient[j] += gg;
        sentVsInput[j] += de;
        input[j] += ee;
    }

    public CompressionError merge(CompressionError o) {
        return new CompressionError(sum(sentVsGradient, o.sentVsGradient), sum(gradient, o.gradient),
                sum(sentVsInput, o.sentVsInput), sum(input, o.input));
    }

    /** Segment j's relative error of what was sent; {@code j = -1}: the whole model. NaN for a zero gradient. */
    public double relativeError(int j) {
        return ratio(sentVsGradient, gradient, j);
    }

    /** Segment j's empirical Omega; {@code j = -1}: the whole model. NaN for a zero input. */
    public double omega(int j) {
        return ratio(sentVsInput, input, j);
    }

    /** The layer-wise quantity sum_j (1 + Omega_j) over the segments with a non-zero input. */
    public double layerwiseSum() {
        double s = 0;
        for (int j = 0; j < segments(); j++) {
            double o = omega(j);
            s += Double.isNaN(o) ? 0 : 1 + o;
        }
        return s;
    }

    /** The entire-model bound L max_j (1 + Omega_j), L the number of segments. */
    public double entireModelBound() {
        double max = Double.NaN;
        for (int j = 0; j < segments(); j++) {
            double o = omega(j);
            if (!Double.isNaN(o) && (Double.isNaN(max) || 1 + o > max)) {
                max = 1 + o;
            }
        }
        return segments() * max;
    }

    private static double ratio(double[] num, double[] den, int j) {
        double n = 0;
        double d = 0;
        for (int i = j < 0 ? 0 : j; i < (j < 0 ? den.length : j + 1); i++) {
            n += num[i];
            d += den[i];
        }
        return d == 0 ? Double.NaN : n / d;
    }

    private static double[] sum(double[] a, double[] b) {
        double[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += b[i];
        }
        return out;
    }
}
