package io.lamina.app.engine.protocol;

import io.lamina.compression.Message;
import io.lamina.compression.RoundProtocol;

/**
 * The merge of one or more workers' results for one round of a step: what a step task ships
 * and what {@code treeReduce} combines. Its segments are the merged messages (the compressor's
 * own representation: sparse union, code-space sum, gathered messages...); besides them it carries
 * the loss sum, the replicas' checksums and the merged {@link Telemetry}.
 *
 * <p>A worker whose replica cannot be brought to the step's version ships a snapshot request
 * ({@link #snapshotRequest}): no segments, counted in {@link #snapshotRequests()}. The driver
 * then publishes a fresh snapshot and reruns the step.
 *
 * @param workers           worker results merged here, snapshot requests included
 * @param snapshotRequests  workers that asked for a snapshot instead of computing
 * @param lossSum           the computing workers' mean minibatch losses, summed (round 0)
 * @param checksums         per partition, the replica's parameter checksum (0 = not sent); null if none
 * @param segments          one merged message per segment; null when every merged worker asked for a snapshot
 */
public record Aggregate(long step, int round, int workers, int snapshotRequests, double lossSum, long[] checksums,
        Message[] segments, Telemetry telemetry) {

    /** One worker's uplink as it is shipped. */
    public static Aggregate of(Uplink u, int partitions) {
        long[] checksums = null;
        if (u.checksum() != 0) {
            checksums = new long[partitions];
            checksums[u.partition()] = u.checksum();
        }
        return new Aggregate(u.step(), u.round(), 1, 0, u.loss(), checksums, u.segments(), u.telemetry());
    }

    /** The reply of a worker whose replica cannot be brought to this step's version. */
    public static Aggregate snapshotRequest(long step, int round) {
        return new Aggregate(step, round, 1, 1, 0, null, null, Telemetry.NONE);
    }

    /** Mean of the computing workers' minibatch losses. */
    public double meanLoss() {
        return lossSum / Math.max(1, workers - snapshotRequests);
    }

    /** This aggregate with its shipped size recorded in the telemetry. */
    public Aggregate withUplinkBytes(long bytes) {
        return new Aggregate(step, round, workers, snapshotRequests, lossSum, checksums, segments,
                telemetry.withUplinkBytes(bytes));
    }

    /**
     * The sum of two partial aggregates of the same step and round: messages segment by segment
     * with the protocol's merge, the rest by sum. Associative and commutative (up to the float
     * rounding of the protocol's merge). The protocol may reuse {@code a}'s storage.
     */
    public static Aggregate merge(Aggregate a, Aggregate b, RoundProtocol protocol) {
        if (a.step != b.step || a.round != b.round) {
            throw new IllegalStateException("cannot merge results of step/round " + a.step + "/" + a.round + " and "
                    + b.step + "/" + b.round);
        }
        Message[] segments = null;
        if (a.segments != null && b.segments != null) {
            segments = new Message[a.segments.length];
            for (int j = 0; j < segments.length; j++) {
                segments[j] = protocol.merge(a.segments[j], b.segments[j]);
            }
        } else if (a.snapshotRequests + b.snapshotRequests == 0) {
            throw new IllegalStateException("step " + a.step + ": a result without segments that asked for nothing");
        }
        return new Aggregate(a.step, a.round, a.workers + b.workers, a.snapshotRequests + b.snapshotRequests,
                a.lossSum + b.lossSum, firstNonZero(a.checksums, b.checksums), segments,
                a.telemetry.merge(b.telemetry));
    }

    private static long[] firstNonZero(long[] a, long[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        long[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                out[i] = b[i];
            }
        }
        return out;
    }
}
