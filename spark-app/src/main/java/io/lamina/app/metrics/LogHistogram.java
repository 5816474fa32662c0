package io.lamina.app.metrics;

/**
 * Quantiles of positive values (step times in ms) in constant memory, however long the run:
 * counts in bins whose edges grow by 0.5%, so a quantile is known to within 0.25% of its value.
 * Values below {@link #MIN} (including zero and negatives) count in the first bin, above
 * {@link #MAX} in the last.
 */
public final class LogHistogram {

    static final double MIN = 1e-3;
    static final double MAX = 1e7;
    private static final double GROWTH = 1.005;
    private static final double LOG_GROWTH = Math.log(GROWTH);

    private static final int LAST = (int) Math.ceil(Math.log(MAX / MIN) / LOG_GROWTH);

    private final long[] counts = new long[LAST + 1];
    private long total;

    public void add(double value) {
        counts[bin(value)]++;
        total++;
    }

    /** The median (the lower one for an even count), 0 when nothing was added. */
    public double median() {
        return quantile(0.5);
    }

    /** The value of rank ceil(q * n) (the q-quantile), 0 when nothing was added. */
    public double quantile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(MAX, Math.max(MIN, MIN * Math.pow(GROWTH, i + 0.5))); // the bin's geometric middle
            }
        }
        return MAX;
    }

    private static int bin(double value) {
        if (!(value > MIN)) {
            return 0;
        }
        return (int) Math.min(Math.log(value / MIN) / LOG_GROWTH, LAST);
    }
}
