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
}
