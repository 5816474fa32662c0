package io.lamina.compression;

/**
 * What a worker remembers between steps about what it did not send: error feedback, DGC's
 * momentum correction, EF-signSGD's scaled residual. Per segment; state survives across steps
 * and is lost (safely: it only delays updates) when a replica is rebuilt.
 *
 * <p>Per step and segment the worker calls {@link #compensate} to get e from the gradient g,
 * encodes e, decodes the message back to D(C(e)), then calls {@link #update} with both.
 */
public interface Memory {

    /** Writes e (the vector to compress) for segment {@code segment} into {@code out[0, length)}. */
    void compensate(int segment, float[] gradient, int offset, int length, float[] out);

    /** Updates the state from e and what was sent, D(C(e)), both in {@code [0, length)}. */
    void update(int segment, float[] compensated, float[] sent, int length);

    /** Sum of squares of the residual over all segments (0 for no memory), for metrics. */
    double residualNormSquared();

    /**
     * A copy of the state, for checkpoints: arrays in a fixed order per implementation (null
     * entries for segments not used yet); null if there is none.
     */
    default float[][] state() {
        return null;
    }

    /**
     * Restores {@link #state()} taken from an instance of the same spec and layout.
     *
     * @throws IllegalArgumentException if it does not fit this layout
     */
    default void restoreState(float[][] state) {
        if (state != null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " keeps no state");
        }
    }

    /** Copies {@code from} into {@code into} array by array, checking each against the layout's lengths. */
    static void copyState(float[][] from, float[][] into, Layout layout, String what) {
        if (from == null || from.length != into.length || into.length % layout.size() != 0) {
            throw new IllegalArgumentException(what + ": saved state of " + (from == null ? 0 : from.length)
                    + " arrays does not fit " + into.length + " for " + layout.size() + " segments");
        }
        for (int i = 0; i < from.length; i++) {
            int length = layout.get(i % layout.size()).length();
            if (from[i] != null && from[i].length != length) {
                throw new IllegalArgumentException(what + ": saved state of segment " + i % layout.size() + " has "
                        + from[i].length + " values; the segment has " + length);
            }
            into[i] = from[i] == null ? null : from[i].clone();
        }
    }

    /** A deep copy of per-segment arrays (null entries stay null). */
    static float[][] copyOf(float[][]... parts) {
        int n = 0;
        for (float[][] p : parts) {
            n += p.length;
        }
        float[][] out = new float[n][];
        int i = 0;
        for (float[][] p : parts) {
            for (float[] a : p) {
                out[i++] = a == null ? null : a.clone();
            }
        }
        return out;
    }
}
