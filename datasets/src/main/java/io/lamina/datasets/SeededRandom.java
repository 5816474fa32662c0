package io.lamina.datasets;

/**
 * A small, fully specified pseudo-random generator (SplitMix64, Steele, Lea and Flood, OOPSLA
 * 2014) used for every shuffle and every synthetic value in this library.
 *
 * <p>Why not {@code java.util.SplittableRandom}: the JDK documents its algorithm but not how
 * {@code nextInt(bound)} or {@code nextGaussian()} turn bits into values, and those have changed
 * between releases. A rerun Spark task on another JVM must see the same minibatch, so the whole
 * recipe lives here: the same seed gives the same sequence on any JVM, forever. Not thread-safe.
 */
public final class SeededRandom {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public SeededRandom(long seed) {
        this.state = seed;
    }

    /**
     * A seed for an independent stream derived from {@code seed} and any number of salts (e.g. a
     * stream id, the epoch, the partition index). Different salts give unrelated streams.
     */
    public static long derive(long seed, long... salts) {
        long h = mix64(seed);
        for (long salt : salts) {
            h = mix64(h ^ mix64(salt + GOLDEN_GAMMA));
        }
        return h;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** Uniform in {@code 0..bound-1}, without modulo bias (Lemire's multiply-and-reject). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long product = (nextLong() >>> 32) * bound;
        long low = product & 0xFFFFFFFFL;
        if (low < bound) {
            long reject = (0x1_0000_0000L - bound) % bound; // low values that would bias the result
            while (low < reject) {
                product = (nextLong() >>> 32) * bound;
                low = product & 0xFFFFFFFFL;
            }
        }
        return (int) (product >>> 32);
    }

    /** Uniform in [0, 1), 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Standard normal (Box-Muller; {@code StrictMath} so every JVM computes the same bits). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // in (0, 1]: log is finite
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    /** Shuffles {@code a} in place (Fisher-Yates). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** A shuffled {@code 0..n-1}. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
