package io.lamina.app.engine.protocol;

import io.lamina.compression.Message;
import io.lamina.compression.RoundProtocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The merge of one or more workers' results for one round of a step: what a step task ships
 * and what the exchange's tree combines. The merged messages and the loss live in {@link Part}s:
 * contiguous ranges of partitions summed in the fixed order of the {@link MergeTree}, so the
 * result has the same bits whatever order the tasks finish in; once every partition is in, one
 * part covers them all. Beside the parts: the replicas' checksums, the merged {@link Telemetry},
 * and the first worker that saw a non-finite gradient.
 *
 * <p>A worker whose replica cannot be brought to the step's version ships a snapshot request
 * ({@link #snapshotRequest}): its part has no segments, counted in {@link #snapshotRequests()}.
 * The driver then publishes a fresh snapshot and reruns the step.
 *
 * @param workers           worker results merged here, snapshot requests included
 * @param snapshotRequests  workers that asked for a snapshot instead of computing
 * @param checksums         per partition, the replica's parameter checksum (0 = not sent); null if none
 * @param replicas          per partition, the id of the replica whose message is merged here (round 0; 0 = none);
 *                          null if none. The driver makes these the partitions' owners for the next step.
 * @param parts             the summed ranges, sorted by their first partition
 * @param nonFinite         the lowest partition whose gradient had a NaN or an infinity; null if none
 */
public record Aggregate(long step, int round, int workers, int snapshotRequests, long[] checksums, long[] replicas,
        List<Part> parts,
        Telemetry telemetry, NonFinite nonFinite) {

    /**
     * The sum of partitions [lo, hi): one merged message per segment (null if a worker in the
     * range sent none) and the workers' mean minibatch losses, summed (round 0).
     */
    public record Part(int lo, int hi, Message[] segments, double lossSum) {
    }

    /** Where a worker found a NaN or an infinity in its gradient: partition, segment index, element. */
    public record NonFinite(int partition, int segment, int element) {
    }

    public Aggregate {
        parts = List.copyOf(parts);
    }

    /** One worker's uplink as it is shipped. */
    public static Aggregate of(Uplink u, int partitions) {
        long[] checksums = null;
        if (u.checksum() != 0) {
            checksums = new long[partitions];
            checksums[u.partition()] = u.checksum();
        }
        long[] replicas = null;
        if (u.replica() != 0) {
            replicas = new long[partitions];
            replicas[u.partition()] = u.replica();
        }
        return new Aggregate(u.step(), u.round(), 1, 0, checksums, replicas,
                List.of(leaf(u.partition(), u.segments(), u.loss())), u.telemetry(), null);
    }

    /** The reply of a worker whose replica cannot be brought to this step's version. */
    public static Aggregate snapshotRequest(long step, int round, int partition) {
        return new Aggregate(step, round, 1, 1, null, null, List.of(leaf(partition, null, 0)), Telemetry.NONE, null);
    }

    /** The reply of a worker whose gradient is not finite: nothing is compressed, the driver stops the run. */
    public static Aggregate nonFinite(long step, int round, NonFinite where) {
        return new Aggregate(step, round, 1, 0, null, null, List.of(leaf(where.partition(), null, 0)), Telemetry.NONE,
                where);
    }

    private static Part leaf(int partition, Message[] segments, double loss) {
        return new Part(partition, partition + 1, segments, loss);
    }

    /** The merged messages of all workers. @throws IllegalStateException if some have not been merged in */
    public Message[] segments() {
        return whole().segments();
    }

    /** Mean of the computing workers' minibatch losses. */
    public double meanLoss() {
        return whole().lossSum() / Math.max(1, workers - snapshotRequests);
    }

    private Part whole() {
        if (parts.size() != 1 || parts.get(0).lo() != 0 || parts.get(0).hi() != workers) {
            throw new IllegalStateException("step " + step + " round " + round + ": partitions " + ranges()
                    + " of " + workers + " are merged; expected one range [0, " + workers + ")");
        }
        return parts.get(0);
    }

    private String ranges() {
        StringBuilder b = new StringBuilder();
        for (Part p : parts) {
            b.append(b.length() == 0 ? "" : ", ").append('[').append(p.lo()).append(", ").append(p.hi()).append(')');
        }
        return b.toString();
    }

    /**
     * An aggregate from the bytes a task shipped. A single worker's result, shipped unmeasured,
     * gets its size here: the length of those bytes (its segments' sizes are taken as they are read).
     */
    public static Aggregate read(byte[] shipped) {
        Aggregate a = LaminaBytes.read(shipped, Aggregate.class);
        return a.workers == 1 && a.telemetry.uplinkBytes() == 0 ? a.withUplinkBytes(shipped.length) : a;
    }

    /** This aggregate with its shipped size recorded in the telemetry. */
    public Aggregate withUplinkBytes(long bytes) {
        return new Aggregate(step, round, workers, snapshotRequests, checksums, replicas, parts,
                telemetry.withUplinkBytes(bytes), nonFinite);
    }

    /**
     * The sum of two partial aggregates of the same step and round. Their parts are summed where
     * the tree allows (messages segment by segment with the protocol's merge, losses by +), so the
     * result does not depend on which arguments came first; the rest is summed. The protocol may
     * reuse either argument's storage: neither is used again.
     */
    public static Aggregate merge(Aggregate a, Aggregate b, RoundProtocol protocol, MergeTree tree) {
        if (a.step != b.step || a.round != b.round) {
            throw new IllegalStateException("cannot merge results of step/round " + a.step + "/" + a.round + " and "
                    + b.step + "/" + b.round);
        }
        List<Part> parts = new ArrayList<>(a.parts);
        parts.addAll(b.parts);
        parts.sort(Comparator.comparingInt(Part::lo));
        for (int i = 0; i + 1 < parts.size(); ) {
            Part x = parts.get(i);
            Part y = parts.get(i + 1);
            if (x.hi() > y.lo()) {
                throw new IllegalStateException("step " + a.step + ": partitions [" + y.lo() + ", " + x.hi()
                        + ") arrived twice");
            }
            if (x.hi() == y.lo() && tree.joins(x.lo(), x.hi(), y.hi())) {
                parts.set(i, new Part(x.lo(), y.hi(), sum(x.segments(), y.segments(), protocol), x.lossSum() + y.lossSum()));
                parts.remove(i + 1);
                i = Math.max(0, i - 1); // the longer range may now join its left neighbour
            } else {
                i++;
            }
        }
        NonFinite bad = a.nonFinite == null ? b.nonFinite
                : b.nonFinite == null || a.nonFinite.partition() < b.nonFinite.partition() ? a.nonFinite : b.nonFinite;
        return new Aggregate(a.step, a.round, a.workers + b.workers, a.snapshotRequests + b.snapshotRequests,
                firstNonZero(a.checksums, b.checksums), firstNonZero(a.replicas, b.replicas), parts,
                a.telemetry.merge(b.telemetry), bad);
    }

    private static Message[] sum(Message[] x, Message[] y, RoundProtocol protocol) {
        if (x == null || y == null) {
            return null; // a snapshot request or a non-finite gradient in the range: the step is not applied
        }
        Message[] out = new Message[x.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = protocol.merge(x[j], y[j]);
        }
        return out;
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
