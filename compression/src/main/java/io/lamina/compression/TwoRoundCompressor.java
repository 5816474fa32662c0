package io.lamina.compression;

/**
 * A compressor whose aggregation needs two rounds per step (PowerSGD: first the P factors, then
 * the Q factors computed from the aggregated P). It extends {@link Compressor} so that specs,
 * the registry and {@link #merge} work as for every other method, but the single-round
 * {@link #encode}/{@link #decode} path does not apply: implementations throw
 * {@link UnsupportedOperationException} from them, naming this interface.
 *
 * <h2>The exact order of calls, per step, for every segment {@code j}</h2>
 *
 * <pre>
 * worker w:  e_j  = mem.compensate(j, g, off_j, len_j, e_j)           // as for one-round methods
 *            u1_j = c.round1(e_j, 0, len_j, ctx(step, j, w))           // uplink of round 1
 * driver:    a1_j = c.merge(a1_j, u1_j)   over all workers (treeAggregate; left arg reusable)
 *            d1_j = c.finishRound1(a1_j)                               // downlink of round 1
 * worker w:  u2_j = c.round2(e_j, 0, len_j, d1_j, ctx(step, j, w))     // SAME e_j as in round 1
 * driver:    a2_j = c.merge(a2_j, u2_j)   over all workers                // downlink of round 2
 * every replica (driver and each worker, on the instance that calls round1 next step):
 *            c.finishRound2(j, d1_j, a2_j, update, off_j)               // the averaged update
 * worker w:  sent = c.lowRank(j) ? update[off_j, off_j + len_j) : e_j
 *            mem.update(j, e_j, sent, len_j)
 * </pre>
 *
 * <p>Notes for the engine:
 * <ul>
 *   <li>The worker keeps {@code e_j} from round 1 to the end of the step (it needs it for
 *       {@link #round2} and for the memory); the compressor does not copy it.</li>
 *   <li>{@link #finishRound1} and {@link #finishRound2} are deterministic (same bits on every
 *       JVM) and do not depend on worker-local data, so the driver may compute the round-1
 *       downlink once and broadcast it, or every replica may compute it from the broadcast
 *       aggregate: the result is identical.</li>
 *   <li>{@link #finishRound2} also advances per-segment state that the next step's
 *       {@link #round1} needs (PowerSGD's warm-start Q, identical on every replica because it
 *       is derived from the aggregate only). It must therefore be called on every worker's
 *       instance, every step, for every segment, in addition to the driver's.</li>
 *   <li>Error feedback uses the <em>aggregated</em> decompression, as in the PowerSGD paper:
 *       residual = e_j - update_j for segments that were compressed ({@link #lowRank} true).
 *       Segments that travel dense lose nothing, so their residual is zero: pass e_j as sent.</li>
 *   <li>Segments that are sent dense complete in round 1 (their round-1 downlink is the dense
 *       sum); their round-2 uplink is an empty message of a few bytes, so the protocol is the
 *       same for every segment and the engine never branches on the segment.</li>
 * </ul>
 */
public interface TwoRoundCompressor extends Compressor {

    /**
     * Round 1 on a worker: the uplink message for segment {@code ctx.segment()} computed from the
     * compensated values {@code values[offset, offset + length)}. Must not modify {@code values}.
     */
    Message round1(float[] values, int offset, int length, EncodeContext ctx);

    /**
     * Round 1 on the driver: turns the merged round-1 aggregate into the round-1 downlink
     * message every worker receives. Deterministic; does not modify {@code aggregate}.
     */
    Message finishRound1(Message aggregate);

    /**
     * Round 2 on a worker: the uplink message for segment {@code ctx.segment()} from the same
     * values passed to {@link #round1} this step and the round-1 downlink.
     */
    Message round2(float[] values, int offset, int length, Message downlink1, EncodeContext ctx);

    /**
     * On every replica: writes the averaged update of segment {@code segment} into
     * {@code dst[dstOffset, dstOffset + length)} from the round-1 downlink and the merged round-2
     * aggregate (which is the round-2 downlink), and advances the per-segment state for the next
     * step. Deterministic.
     */
    void finishRound2(int segment, Message downlink1, Message aggregate2, float[] dst, int dstOffset);

    /**
     * Whether segment {@code segment} is compressed (true) or travels dense (false). Decides what
     * the memory receives as the sent values: the update for compressed segments, the
     * compensated values themselves (zero residual) for dense ones.
     */
    boolean lowRank(int segment);

    /**
     * A copy of the per-segment state every replica must hold identically (PowerSGD's warm-start
     * Q), for the snapshot a rebuilt replica starts from; entries may be null (not yet used).
     */
    float[][] sharedState();

    /** Restores state taken with {@link #sharedState()} on an instance for the same layout. */
    void restoreSharedState(float[][] state);
}
