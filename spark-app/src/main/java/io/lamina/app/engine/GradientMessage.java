package io.lamina.app.engine;

import io.lamina.compression.Message;

/**
 * What a worker sends up for one step, and what {@code treeAggregate} merges: one compressed
 * {@link Message} per compression segment plus the step's bookkeeping. The merge of all workers'
 * messages is the step's aggregate; its segments are the downlink message every replica and the
 * driver decode with {@code Compressor.finish} and apply.
 *
 * <p>A worker that cannot take part (its replica is missing and the snapshot is too old) sends a
 * message with {@link #needSnapshot} set and no segments; the driver then publishes a fresh
 * snapshot and reruns the step.
 */
public final class GradientMessage {

    public final long step;
    /** 1 for one-round compressors and the first round of two-round ones (PowerSGD); 2 for the second. */
    public int round = 1;
    /** Number of worker messages merged into this one. */
    public int workers;
    /** Workers that asked for a fresh snapshot instead of computing. */
    public int needSnapshot;
    /** Replicas rebuilt from the snapshot during this step (residuals reset). */
    public int rebuilt;
    /** Sum over workers of the mean minibatch loss. */
    public double lossSum;
    public long examples;
    public long maxComputeNanos;
    public long sumComputeNanos;
    public long sumEncodeNanos;
    public long sumApplyNanos;
    /** Sum of the Kryo-serialized sizes of the worker messages merged here. */
    public long uplinkBytes;
    /** Per partition: checksum of the replica's parameters before computing (0 = not sent); null if none. */
    public long[] checksums;
    /** One message per compression segment; null when {@link #needSnapshot} > 0 and nothing was computed. */
    public Message[] segments;
    /** Two-round methods' downlink only: the round-1 downlink (PowerSGD's orthogonalised P) per segment. */
    public Message[] round1;
    /** Per segment, summed over the workers merged here: serialized bytes of the segment's message. */
    public long[] segmentBytes;
    /** Per segment, summed over workers: non-zero elements of what was sent, D(C(e)) (for density). */
    public long[] segmentNonZeros;
    /** Sum over workers of the memories' squared residual norms after this step. */
    public double residualNormSq;

    public GradientMessage(long step) {
        this.step = step;
    }

    /** The reply of a worker whose replica cannot be brought to this step's version. */
    public static GradientMessage needingSnapshot(long step) {
        GradientMessage m = new GradientMessage(step);
        m.workers = 1;
        m.needSnapshot = 1;
        return m;
    }

    /** Mean of the workers' minibatch losses. */
    public double meanLoss() {
        return lossSum / Math.max(1, workers - needSnapshot);
    }
}
