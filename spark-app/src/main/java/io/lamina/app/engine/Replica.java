package io.lamina.app.engine;

import io.lamina.app.model.Dl4jNet;
import io.lamina.compression.Compressor;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Memory;
import io.lamina.compression.Message;
import io.lamina.compression.Segment;
import io.lamina.compression.TwoRoundCompressor;

/**
 * One worker's model replica and everything it keeps between steps: the network with its
 * optimizer state, the compressor's and the memory's per-segment state, the version (number of
 * updates applied) and the last message sent per round, so that a task Spark reruns re-sends it
 * instead of computing (and applying error feedback) twice.
 */
final class Replica {

    final Dl4jNet net;
    Compressor compressor;
    final Memory memory;
    final Layout segments;
    long version;
    /** Step and message of the last round-1 (or only) message sent. */
    long lastStep = -1;
    GradientMessage lastMessage;
    /** Step and message of the last round-2 message sent (two-round methods). */
    long lastRound2Step = -1;
    GradientMessage lastRound2Message;

    // Work buffers, reused every step.
    final float[] gradient;
    final float[] update;
    /** e for every segment, kept from round 1 to the end of a two-round step. */
    final float[] compensatedAll;
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
        this.compensatedAll = compressor instanceof TwoRoundCompressor ? new float[net.numParams()] : null;
        int max = segments.maxSegmentLength();
        this.compensated = new float[max];
        this.sent = new float[max];
    }

    /** A replica at the snapshot's version, with fresh memory and the shared compressor state. */
    static Replica fromSnapshot(StepPlan plan, Snapshot snap) {
        Dl4jNet net = Dl4jNet.fromJson(plan.configJson(), plan.graph(), snap.params());
        net.setUpdaterState(snap.updaterState());
        net.setIteration(snap.iteration());
        net.setEpoch(snap.epoch());
        Replica r = new Replica(net, plan, snap.version());
        if (snap.compressorState() != null && r.compressor instanceof TwoRoundCompressor t) {
            t.restoreSharedState(snap.compressorState());
        }
        return r;
    }

    boolean twoRound() {
        return compressorAsTwoRound() != null;
    }

    private TwoRoundCompressor compressorAsTwoRound() {
        return compressor instanceof TwoRoundCompressor t ? t : null;
    }

    /** Applies the aggregate of step {@code version}, moving the replica to {@code version + 1}. */
    void apply(GradientMessage aggregate, StepPlan plan) {
        if (aggregate.step != version) {
            throw new IllegalStateException("replica at version " + version + " cannot apply the update of step "
                    + aggregate.step);
        }
        UpdateApplier.decode(aggregate, compressor, segments, update);
        TwoRoundCompressor t = compressorAsTwoRound();
        if (t != null) {
            // PowerSGD's error feedback uses the aggregated decompression (Vogels et al., Alg. 2).
            for (int j = 0; j < segments.size(); j++) {
                Segment s = segments.get(j);
                System.arraycopy(compensatedAll, s.offset(), compensated, 0, s.length());
                System.arraycopy(t.lowRank(j) ? update : compensatedAll, s.offset(), sent, 0, s.length());
                memory.update(j, compensated, sent, s.length());
            }
        }
        UpdateApplier.apply(net, update, plan, aggregate.step);
        version++;
    }

    /**
     * Compresses {@link #gradient} segment by segment through the memory and a one-round
     * compressor, filling the message's segments and per-segment statistics.
     * Per segment j: e = memory(g_j); m_j = C(e); memory.update(e, D(m_j)).
     */
    void encode(GradientMessage m, int worker, long seed) {
        m.segments = new Message[segments.size()];
        m.segmentNonZeros = new long[segments.size()];
        for (int j = 0; j < segments.size(); j++) {
            Segment s = segments.get(j);
            memory.compensate(j, gradient, s.offset(), s.length(), compensated);
            m.segments[j] = compressor.encode(compensated, 0, s.length(), new EncodeContext(m.step, j, worker, seed));
            compressor.decode(m.segments[j], sent, 0);
            memory.update(j, compensated, sent, s.length());
            m.segmentNonZeros[j] = nonZeros(sent, s.length());
        }
        m.residualNormSq = memory.residualNormSquared();
    }

    /** Round 1 of a two-round method: e = memory(g) kept for the whole step; uplink = round1(e). */
    void encodeRound1(GradientMessage m, int worker, long seed) {
        TwoRoundCompressor t = compressorAsTwoRound();
        m.segments = new Message[segments.size()];
        for (int j = 0; j < segments.size(); j++) {
            Segment s = segments.get(j);
            memory.compensate(j, gradient, s.offset(), s.length(), compensated);
            System.arraycopy(compensated, 0, compensatedAll, s.offset(), s.length());
            m.segments[j] = t.round1(compensatedAll, s.offset(), s.length(), new EncodeContext(m.step, j, worker, seed));
        }
        m.residualNormSq = memory.residualNormSquared();
    }

    /** Round 2 of a two-round method, from the same e and the round-1 downlink. */
    void encodeRound2(GradientMessage m, Message[] downlink1, int worker, long seed) {
        TwoRoundCompressor t = compressorAsTwoRound();
        m.segments = new Message[segments.size()];
        for (int j = 0; j < segments.size(); j++) {
            Segment s = segments.get(j);
            m.segments[j] = t.round2(compensatedAll, s.offset(), s.length(), downlink1[j],
                    new EncodeContext(m.step, j, worker, seed));
        }
    }

    private static long nonZeros(float[] v, int length) {
        long n = 0;
        for (int i = 0; i < length; i++) {
            n += v[i] != 0 ? 1 : 0;
        }
        return n;
    }
}
