package io.lamina.compression;

/**
 * A gradient compressor C with its decoder D and its aggregation rule.
 *
 * <p>Lifecycle: a {@link CompressorSpec} (serializable, parsed from {@code name[:params]}) creates
 * one {@code Compressor} per worker and one on the driver, for the compression layout chosen by
 * the {@link Granularity}. A worker calls {@link #encode} once per segment per step; the instance
 * may keep per-segment state across steps (Signum's momentum, an adaptive threshold, PowerSGD's
 * warm-start Q), indexed by {@link EncodeContext#segment()}. The driver (and Spark's
 * {@code treeAggregate}) call {@link #merge}, which must be associative and commutative up to
 * float rounding and must not touch per-worker state; every replica and the driver then call
 * {@link #finish} on the same aggregate, so they apply the identical update.
 *
 * <p>Methods that need two aggregation rounds per step (PowerSGD) implement
 * {@link TwoRoundCompressor}, whose javadoc gives the engine's call order; their single-round
 * {@code encode}/{@code decode}/{@code finish} throw {@link UnsupportedOperationException}.
 *
 * <p>A compressor that divides something among all segments of a step (Top-k under a byte budget)
 * answers {@link #plansStep()} true: the worker then computes every segment's compensated values
 * first and calls {@link #planStep} once, before the step's {@code encode} calls (see its javadoc).
 *
 * <p>Instances are not thread-safe; a worker uses its own.
 */
public interface Compressor {

    /** The registry name, e.g. {@code none}, {@code topk}. */
    String name();

    /**
     * Compresses {@code values[offset, offset + length)}, the (memory-compensated) gradient of one
     * segment. Must not modify {@code values}.
     */
    Message encode(float[] values, int offset, int length, EncodeContext ctx);

    /**
     * Writes D(m), the decompressed values of one worker's message, into
     * {@code dst[dstOffset, dstOffset + m.length())}. Memories use it: residual = e - D(C(e)).
     */
    void decode(Message message, float[] dst, int dstOffset);

    /**
     * The sum of two partial aggregates (each one worker's message or an earlier merge), in the
     * representation with the fewest bytes that is still exact. May return one of its arguments
     * or reuse its storage only if that argument is not used again by the caller (Spark's
     * aggregation contract allows the first argument to be modified).
     */
    Message merge(Message a, Message b);

    /**
     * What the driver sends every replica from the merged aggregate of all workers: by default
     * the aggregate itself; a compressor whose replicas need less than the aggregate (majority
     * vote needs sign(vote), not the counts) returns a smaller message. Deterministic.
     */
    default Message downlink(Message aggregate) {
        return aggregate;
    }

    /**
     * Writes the update every replica applies into {@code dst[dstOffset, dstOffset + length)}
     * from the {@link #downlink} of the merged aggregate (and, for tests and benches, from the
     * aggregate itself): usually the mean over {@code aggregate.workers()} workers; majority vote
     * for signSGD.
     */
    void finish(Message aggregate, float[] dst, int dstOffset);

    /**
     * A copy of the state this worker's instance carries across steps and no other instance has
     * (Signum's momentum, an adaptive threshold), for checkpoints; null if none. State every
     * instance shares is {@link TwoRoundCompressor}'s shared state instead.
     */
    default float[][] workerState() {
        return null;
    }

    /**
     * Restores {@link #workerState()} taken from an instance of the same spec and layout.
     *
     * @throws IllegalArgumentException if it does not fit
     */
    default void restoreWorkerState(float[][] state) {
        if (state != null) {
            throw new IllegalArgumentException(name() + " keeps no per-worker state");
        }
    }

    /**
     * Whether {@link #planStep} must see every segment's values before the step's {@code encode}
     * calls. False for every per-segment method (the default); the engine then encodes segment by
     * segment as the memory compensates them.
     */
    default boolean plansStep() {
        return false;
    }

    /**
     * Called on a worker once per step, before any {@link #encode} of that step, when
     * {@link #plansStep()} is true: {@code values} holds every segment's compensated values at its
     * offset in the compression layout ({@link Layout#totalLength()} floats). The compressor may
     * keep what it decided (per segment) for the step's {@code encode} calls, which then receive the
     * same values. Must not modify {@code values}. The default does nothing.
     */
    default void planStep(float[] values, long step) {
    }
}
