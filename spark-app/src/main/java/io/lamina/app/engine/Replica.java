package io.lamina.app.engine;

import io.lamina.app.model.Dl4jNet;
import io.lamina.compression.Compressor;
import io.lamina.compression.Layout;
import io.lamina.compression.Memory;

/**
 * One worker's model replica and everything it keeps between steps: the network with its
 * optimizer state, the compressor's and the memory's per-segment state, the version (number of
 * updates applied) and the last message sent, so that a task Spark reruns re-sends it instead of
 * computing (and applying error feedback) twice.
 */
final class Replica {

    final Dl4jNet net;
    final Compressor compressor;
    final Memory memory;
    final Layout segments;
    long version;
    long lastStep = -1;
    GradientMessage lastMessage;

    // Work buffers, reused every step.
    final float[] gradient;
    final float[] update;
    float[] features;
    float[] labels;
    private final float[] compensated;
    private final float[] sent;

    private Replica(Dl4jNet net, StepPlan plan, long version) {
        this.net = net;
        this.segments = plan.segments();
        this.compressor = plan.compressor().create(segments);
        this.memory = plan.memory().create(segments);
        this.version = version;
        this.gradient = new float[net.numParams()];
        this.update = new float[net.numParams()];
        int max = segments.maxSegmentLength();
        this.compensated = new float[max];
        this.sent = new float[max];
    }

    /** A replica at the snapshot's version, with fresh (zero) compressor and memory state. */
    static Replica fromSnapshot(StepPlan plan, Snapshot snap) {
        Dl4jNet net = Dl4jNet.fromJson(plan.configJson(), plan.graph(), snap.params());
        net.setUpdaterState(snap.updaterState());
        net.setIteration(snap.iteration());
        net.setEpoch(snap.epoch());
        return new Replica(net, plan, snap.version());
    }

    /** Applies the aggregate of step {@code version}, moving the replica to {@code version + 1}. */
    void apply(GradientMessage aggregate, StepPlan plan) {
        if (aggregate.step != version) {
            throw new IllegalStateException("replica at version " + version + " cannot apply the update of step "
                    + aggregate.step);
        }
        UpdateApplier.decode(aggregate, compressor, segments, update);
        UpdateApplier.apply(net, update, plan, aggregate.step);
        version++;
    }

    /**
     * Compresses {@link #gradient} segment by segment through the memory and the compressor.
     * Per segment j: e = memory(g_j); m_j = C(e); memory.update(e, D(m_j)).
     */
    io.lamina.compression.Message[] encode(long step, int worker, long seed) {
        io.lamina.compression.Message[] out = new io.lamina.compression.Message[segments.size()];
        for (int j = 0; j < segments.size(); j++) {
            var s = segments.get(j);
            memory.compensate(j, gradient, s.offset(), s.length(), compensated);
            out[j] = compressor.encode(compensated, 0, s.length(),
                    new io.lamina.compression.EncodeContext(step, j, worker, seed));
            compressor.decode(out[j], sent, 0);
            memory.update(j, compensated, sent, s.length());
        }
        return out;
    }
}
