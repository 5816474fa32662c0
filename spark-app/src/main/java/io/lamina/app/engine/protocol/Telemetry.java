package io.lamina.app.engine.protocol;

/**
 * What one or more workers measured during one round of a step, travelling beside the messages
 * and merged with them, but never read by the training itself: rebuilt replicas, examples, task
 * times, and bytes (total and per segment) as Lamina's bytes ({@link LaminaBytes}) hold them.
 *
 * @param rebuilt          replicas rebuilt from the snapshot (residuals reset)
 * @param examples         examples the gradients were computed on
 * @param maxComputeNanos  the slowest worker's forward/backward
 * @param sumComputeNanos  forward/backward summed over workers
 * @param sumEncodeNanos   compression (memory, encode, decode) summed over workers
 * @param sumApplyNanos    applying the previous step's downlink, summed over workers
 * @param uplinkBytes      the workers' shipped results: the length of the shipped Lamina bytes
 * @param segmentBytes     per segment: the segment messages' serialized bytes, summed
 *
 * <p>A worker ships its result with neither byte count (0 and null): they are measured where it
 * is read ({@link Aggregate#read}), from the very bytes that travelled, so nothing is serialized
 * twice to be counted.
 * @param segmentNonZeros  per segment: non-zeros of what was sent, D(C(e)), summed; null if not known
 * @param residualNormSq   the memories' squared residual norms after this step, summed
 * @param error            what compression lost, on the steps the plan samples; null otherwise
 */
public record Telemetry(int rebuilt, long examples, long maxComputeNanos, long sumComputeNanos, long sumEncodeNanos,
        long sumApplyNanos, long uplinkBytes, long[] segmentBytes, long[] segmentNonZeros, double residualNormSq,
        CompressionError error) {

    /** Nothing measured (a worker that only asked for a snapshot). */
    public static final Telemetry NONE = new Telemetry(0, 0, 0, 0, 0, 0, 0, null, null, 0, null);

    /** Sums, except the slowest compute, which is the maximum. Associative and commutative. */
    public Telemetry merge(Telemetry o) {
        return new Telemetry(rebuilt + o.rebuilt, examples + o.examples,
                Math.max(maxComputeNanos, o.maxComputeNanos), sumComputeNanos + o.sumComputeNanos,
                sumEncodeNanos + o.sumEncodeNanos, sumApplyNanos + o.sumApplyNanos, uplinkBytes + o.uplinkBytes,
                sum(segmentBytes, o.segmentBytes), sum(segmentNonZeros, o.segmentNonZeros),
                residualNormSq + o.residualNormSq, error == null ? o.error : o.error == null ? error : error.merge(o.error));
    }

    /** This telemetry with the per-segment sizes filled in (measured where a worker's result is read). */
    public Telemetry withSegmentBytes(long[] bytes) {
        return new Telemetry(rebuilt, examples, maxComputeNanos, sumComputeNanos, sumEncodeNanos, sumApplyNanos,
                uplinkBytes, bytes, segmentNonZeros, residualNormSq, error);
    }

    /** This telemetry with the shipped size filled in (measured where a worker's result is read). */
    public Telemetry withUplinkBytes(long bytes) {
        return new Telemetry(rebuilt, examples, maxComputeNanos, sumComputeNanos, sumEncodeNanos, sumApplyNanos, bytes,
                segmentBytes, segmentNonZeros, residualNormSq, error);
    }

    private static long[] sum(long[] a, long[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        long[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += b[i];
        }
        return out;
    }
}
