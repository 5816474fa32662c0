package io.lamina.compression;

/**
 * How one compressor's messages travel in a training step: a protocol of one or more aggregation
 * rounds. The engine drives every method through this interface and never asks which method it
 * is; {@link #of(Compressor)} adapts a compressor ({@link OneRoundProtocol} for the ordinary
 * encode-merge-finish methods, {@link TwoRoundProtocol} for {@link TwoRoundCompressor}s).
 *
 * <h2>Lifecycle, per step and segment {@code j} (e_j = the memory-compensated values)</h2>
 *
 * <pre>
 * for r in 0 .. rounds()-1:
 *   worker w:  u_r = uplink(r, e, off_j, len_j, d_0..d_{r-1}, ctx(step, j, w))
 *   driver:    a_r = merge(...merge(u_r(w1), u_r(w2))...)          // treeReduce; associative
 *              d_r = downlink(r, a_r)                              // broadcast to every worker
 * (once per step on worker w, before round 0's first uplink, if plansStep():
 *              planStep(e of every segment at its layout offset, step))
 * worker w, right after its last uplink, if !feedbackAfterAggregate():
 *              sentByWorker(u_last, sent);   memory.update(j, e_j, sent)
 * every replica and the driver, on the step's downlinks d_0..d_last:
 *              finish(j, d, update, off_j)                         // deterministic; advances shared state
 * worker w, then, if feedbackAfterAggregate():
 *              sentAfterAggregate(j, e, update, off_j, len_j, sent); memory.update(j, e_j, sent)
 * </pre>
 *
 * <p>Instances are per worker (or driver) and not thread-safe, like the compressor they wrap.
 */
public interface RoundProtocol {

    /** Aggregation rounds per step (1 for almost every method; PowerSGD 2). */
    int rounds();

    /**
     * Round {@code round}'s uplink for segment {@code ctx.segment()} from the compensated values
     * {@code values[offset, offset + length)} (the same values in every round of a step) and the
     * downlinks this segment received in the earlier rounds of this step ({@code earlier.length == round}).
     */
    Message uplink(int round, float[] values, int offset, int length, Message[] earlier, EncodeContext ctx);

    /** Whether {@link #planStep} must see every segment's values before the step's uplinks ({@link Compressor#plansStep}). */
    default boolean plansStep() {
        return false;
    }

    /**
     * Once per step on a worker, before round 0's first uplink, when {@link #plansStep()}: every
     * segment's compensated values at their layout offsets ({@link Compressor#planStep}).
     */
    default void planStep(float[] values, long step) {
    }

    /** The sum of two partial aggregates of the same round (see {@link Compressor#merge}). */
    Message merge(Message a, Message b);

    /** What every worker receives after round {@code round} from its merged aggregate. Deterministic. */
    Message downlink(int round, Message aggregate);

    /**
     * Writes the step's update for segment {@code segment} from its downlinks of every round into
     * {@code dst[dstOffset, dstOffset + length)}; advances state shared by all replicas. Deterministic.
     */
    void finish(int segment, Message[] downlinks, float[] dst, int dstOffset);

    /**
     * Whether error feedback uses the aggregated update ({@link #sentAfterAggregate}, PowerSGD) instead
     * of the worker's own decompressed message ({@link #sentByWorker}). A protocol of more than one
     * round must answer true: the engine may recompute a step's later rounds (a new try after a
     * lost replica), and feedback from the worker's last message would then be applied twice.
     */
    boolean feedbackAfterAggregate();

    /** D(C(e)) of the worker's own last uplink of a segment, into {@code dst[0, length)}. */
    void sentByWorker(Message lastUplink, float[] dst);

    /**
     * What the memory counts as sent for segment {@code segment} when feedback uses the aggregate:
     * from the compensated values and the finished update (both at {@code offset}), into {@code dst[0, length)}.
     */
    void sentAfterAggregate(int segment, float[] compensated, float[] update, int offset, int length, float[] dst);

    /** The per-segment state every replica must hold identically (for snapshots); null if none. */
    float[][] sharedState();

    /** Restores {@link #sharedState()} on an instance for the same layout. */
    void restoreSharedState(float[][] state);

    /** The compressor's per-worker state, for checkpoints ({@link Compressor#workerState()}); null if none. */
    float[][] workerState();

    /** Restores {@link #workerState()}. */
    void restoreWorkerState(float[][] state);

    /** The protocol of {@code compressor}. */
    static RoundProtocol of(Compressor compressor) {
        return compressor instanceof TwoRoundCompressor t ? new TwoRoundProtocol(t) : new OneRoundProtocol(compressor);
    }
}
