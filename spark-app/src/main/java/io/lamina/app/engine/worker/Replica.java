package io.lamina.app.engine.worker;

import io.lamina.app.engine.protocol.Aggregate;
import io.lamina.app.engine.protocol.CompressionError;
import io.lamina.app.engine.protocol.Downlink;
import io.lamina.app.engine.protocol.Snapshot;
import io.lamina.app.engine.protocol.StepPlan;
import io.lamina.app.engine.protocol.UpdateRule;
import io.lamina.app.engine.protocol.WorkerState;
import io.lamina.app.model.Dl4jNet;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Memory;
import io.lamina.compression.Message;
import io.lamina.compression.RoundProtocol;
import io.lamina.compression.Segment;

/**
 * One worker's model replica and everything it keeps between steps: the network with its
 * optimizer state, the protocol's and the memory's per-segment state, the version (number of
 * updates applied), the compensated gradient of the current step (every round encodes the same
 * e), and what it shipped in each round of its last step, so that a task Spark reruns re-sends it
 * instead of computing (and applying error feedback) twice.
 */
final class Replica {

    /**
     * Names this replica among all replicas of its partition, on any executor: the driver makes the
     * replica whose message it merged the partition's owner, and any other copy (left by a
     * speculative task, or on an executor the partition has moved away from) is discarded.
     */
    long id = newId();
    final Dl4jNet net;
    final RoundProtocol protocol;
    private final Memory memory;
    private final Layout segments;
    long version;
    /** The step whose rounds {@link #shipped} holds, and per round what was shipped (null = not yet). */
    long lastStep = -1;
    final Aggregate[] shipped;
    /** Per round, the try of the step the shipped message belongs to. */
    final int[] shippedAttempt;

    // Work buffers, reused every step.
    final float[] gradient;
    private final float[] update;
    /** e of every segment, kept for the later rounds, feedback after the aggregate or the step's plan; else null. */
    private final float[] compensated;
    /** e of one segment at offset 0, as the memory and a one-round encoder take it. */
    private final float[] segmentE;
    private final float[] sent;
    float[] features;
    float[] labels;

    private Replica(Dl4jNet net, StepPlan plan, long version) {
        this.net = net;
        this.segments = plan.segments();
        this.protocol = RoundProtocol.of(plan.compressor().create(segments));
        this.memory = plan.memory().create(segments);
        this.version = version;
        this.shipped = new Aggregate[protocol.rounds()];
        this.shippedAttempt = new int[protocol.rounds()];
        if (protocol.rounds() > 1 && !protocol.feedbackAfterAggregate()) {
            // A step redone as a new try recomputes its later rounds: feedback from the worker's
            // own last message would then reach the memory twice.
            throw new IllegalStateException("a protocol of " + protocol.rounds()
                    + " rounds must feed back the aggregated update");
        }
        this.gradient = new float[net.numParams()];
        this.update = new float[net.numParams()];
        boolean keepE = protocol.rounds() > 1 || protocol.feedbackAfterAggregate() || protocol.plansStep();
        this.compensated = keepE ? new float[net.numParams()] : null;
        this.segmentE = new float[segments.maxSegmentLength()];
        this.sent = new float[segments.maxSegmentLength()];
    }

    /** A replica at the snapshot's version, with fresh memory and the shared protocol state. */
    static Replica fromSnapshot(StepPlan plan, Snapshot snap) {
        Dl4jNet net = Dl4jNet.fromJson(plan.configJson(), plan.graph(), snap.params());
        net.setUpdaterState(snap.updaterState());
        net.setIteration(snap.iteration());
        net.setEpoch(snap.epoch());
        Replica r = new Replica(net, plan, snap.version());
        r.protocol.restoreSharedState(snap.compressorState());
        return r;
    }

    /** Applies the complete downlink of step {@code version}, moving the replica to {@code version + 1}. */
    void apply(Downlink downlink, StepPlan plan) {
        if (downlink.step() != version) {
            throw new IllegalStateException("replica at version " + version + " cannot apply the update of step "
                    + downlink.step());
        }
        UpdateRule.decode(downlink, protocol, segments, update);
        if (protocol.feedbackAfterAggregate()) {
            for (int j = 0; j < segments.size(); j++) {
                Segment s = segments.get(j);
                System.arraycopy(compensated, s.offset(), segmentE, 0, s.length());
                protocol.sentAfterAggregate(j, compensated, update, s.offset(), s.length(), sent);
                memory.update(j, segmentE, sent, s.length());
            }
        }
        UpdateRule.apply(net, update, plan, downlink.step());
        version++;
    }

    /**
     * Round {@code round}'s message per segment, from this step's earlier downlinks and e: in
     * round 0, e = memory(g) is computed from {@link #gradient} (and kept if later rounds or the
     * aggregate's feedback need it; for a protocol that plans the step, every segment's e first,
     * then {@code planStep}, then the uplinks). After the last round, when the protocol feeds back the
     * worker's own message, the memory learns what was sent, memory.update(e, D(C(e))), and
     * {@code nonZeros} receives the non-zeros of D(C(e)) per segment (the density metric), and
     * {@code error}, when not null, what compression lost per segment.
     */
    Message[] uplink(long step, int round, Downlink earlier, int worker, long seed, long[] nonZeros,
            CompressionError error) {
        boolean feedbackNow = round == protocol.rounds() - 1 && !protocol.feedbackAfterAggregate();
        boolean planned = protocol.plansStep();
        if (round == 0 && planned) {
            // the protocol divides the step among the segments: it sees every e before any uplink
            for (int j = 0; j < segments.size(); j++) {
                Segment s = segments.get(j);
                memory.compensate(j, gradient, s.offset(), s.length(), segmentE);
                System.arraycopy(segmentE, 0, compensated, s.offset(), s.length());
            }
            protocol.planStep(compensated, step);
        }
        Message[] out = new Message[segments.size()];
        for (int j = 0; j < segments.size(); j++) {
            Segment s = segments.get(j);
            float[] e = segmentE;
            int offset = 0;
            if (round == 0 && !planned) {
                memory.compensate(j, gradient, s.offset(), s.length(), segmentE);
                if (compensated != null) {
                    System.arraycopy(segmentE, 0, compensated, s.offset(), s.length());
                }
            } else {
                e = compensated;
                offset = s.offset();
            }
            out[j] = protocol.uplink(round, e, offset, s.length(), earlier.ofSegment(j),
                    new EncodeContext(step, j, worker, seed));
            if (feedbackNow) {
                if (e != segmentE) {
                    System.arraycopy(compensated, s.offset(), segmentE, 0, s.length());
                }
                protocol.sentByWorker(out[j], sent);
                if (error != null) {
                    error.add(j, gradient, s.offset(), segmentE, sent, s.length());
                }
                memory.update(j, segmentE, sent, s.length());
                nonZeros[j] = nonZeros(sent, s.length());
            }
        }
        return out;
    }

    private static long newId() {
        return java.util.concurrent.ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }

    /** For {@link TaskFaults}: this replica becomes one the driver has not heard from. */
    void takeNewId() {
        id = newId();
    }

    /**
     * What a checkpoint keeps of this worker; the updater state only where it is the worker's own
     * (optimizer on the workers: otherwise every replica's equals the master's).
     */
    WorkerState state(int partition, boolean ownUpdater) {
        return new WorkerState(partition, version, net.iteration(), net.epoch(), ownUpdater ? net.updaterState() : null,
                memory.state(), protocol.workerState());
    }

    /** Continues from a checkpoint's {@link #state} (on a replica built from the checkpoint's master). */
    void restore(WorkerState saved) {
        if (saved.version() != version) {
            throw new IllegalStateException("worker state of version " + saved.version() + " for a replica at "
                    + version);
        }
        if (saved.updaterState() != null) {
            net.setUpdaterState(saved.updaterState());
            net.setIteration(saved.iteration());
            net.setEpoch(saved.epoch());
        }
        memory.restoreState(saved.memory());
        protocol.restoreWorkerState(saved.compressor());
    }

    double residualNormSquared() {
        return memory.residualNormSquared();
    }

    private static long nonZeros(float[] v, int length) {
        long n = 0;
        for (int i = 0; i < length; i++) {
            n += v[i] != 0 ? 1 : 0;
        }
        return n;
    }
}
