package io.lamina.app.engine;

import io.lamina.app.config.OptimizerPlacement;
import io.lamina.datasets.DataBlock;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * The executor side of one training step (or one round of it) for one partition (DESIGN.md, "One
 * training step"): bring the replica to this step's version (apply the previous step's downlink,
 * or rebuild from the snapshot), compute the gradient on the minibatch derived from (seed, epoch,
 * step, partition), compress it segment by segment through the memory, and emit the message.
 * Two-round methods (PowerSGD) run round 1 like that and round 2 from the kept compensated
 * gradient and the round-1 downlink.
 *
 * <p>A rerun of the same step and round on the same executor re-sends the cached message, so
 * error feedback is applied once; a rerun elsewhere rebuilds the replica with zero residuals.
 */
final class StepTask implements FlatMapFunction<Iterator<DataBlock>, GradientMessage> {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final int round;
    private final Broadcast<StepPlan> plan;
    private final Broadcast<Snapshot> snapshot;
    /** Round 1: the aggregate of step {@code step - 1} (null at step 0). Round 2: the round-1 downlink. */
    private final Broadcast<GradientMessage> downlink;
    /** Partitions whose replica disagreed with the master and must rebuild from the snapshot. */
    private final int[] forceRebuild;

    StepTask(long step, int round, Broadcast<StepPlan> plan, Broadcast<Snapshot> snapshot,
            Broadcast<GradientMessage> downlink, int[] forceRebuild) {
        this.step = step;
        this.round = round;
        this.plan = plan;
        this.snapshot = snapshot;
        this.downlink = downlink;
        this.forceRebuild = forceRebuild;
    }

    @Override
    public Iterator<GradientMessage> call(Iterator<DataBlock> blocks) {
        DataBlock block = blocks.next();
        while (blocks.hasNext()) { // one block per partition; draining releases the cached block's read lock
            blocks.next();
        }
        StepPlan p = plan.value();
        int partition = TaskContext.getPartitionId();
        Replica r = ReplicaRegistry.replica(p.runId(), partition);
        return List.of(round == 2 ? round2(r, p, partition) : round1(r, p, partition, block)).iterator();
    }

    private GradientMessage round1(Replica r, StepPlan p, int partition, DataBlock block) {
        for (int bad : forceRebuild) {
            if (bad == partition && r != null && r.lastStep != step) {
                r = null;
            }
        }
        if (r != null && r.lastStep == step) {
            return r.lastMessage; // a rerun of a step already computed here
        }
        long applyStart = System.nanoTime();
        int rebuilt = 0;
        if (r != null && r.version == step - 1 && downlink != null) {
            r.apply(downlink.value(), p);
        } else if (r == null || r.version != step) {
            Snapshot snap = snapshot.value();
            if (snap.version() != step) {
                return GradientMessage.needingSnapshot(step);
            }
            r = Replica.fromSnapshot(p, snap);
            ReplicaRegistry.put(p.runId(), partition, r);
            rebuilt = step > 0 ? 1 : 0; // the step-0 build is the start, not a rebuild
        }
        long applyNanos = System.nanoTime() - applyStart;

        int b = p.batchPerWorker();
        if (r.features == null) {
            r.features = new float[b * block.featureSize()];
            r.labels = new float[b * block.numClasses()];
        }
        long computeStart = System.nanoTime();
        block.fillBatch(p.epochOf(step), p.stepInEpochOf(step), b, r.features, r.labels);
        double loss = r.net.computeGradient(r.features, r.labels, b);
        if (p.optimizerOn() == OptimizerPlacement.WORKERS) {
            r.net.computeUpdate(r.gradient, b, p.epochOf(step));
        } else {
            r.net.copyGradient(r.gradient);
        }
        long encodeStart = System.nanoTime();
        GradientMessage m = new GradientMessage(step);
        if (r.twoRound()) {
            r.encodeRound1(m, partition, p.seed());
        } else {
            r.encode(m, partition, p.seed());
        }
        long end = System.nanoTime();

        m.workers = 1;
        m.rebuilt = rebuilt;
        m.lossSum = loss;
        m.examples = b;
        m.maxComputeNanos = encodeStart - computeStart;
        m.sumComputeNanos = m.maxComputeNanos;
        m.sumEncodeNanos = end - encodeStart;
        m.sumApplyNanos = applyNanos;
        if (p.isChecksumStep(step)) {
            m.checksums = new long[p.workers()];
            m.checksums[partition] = Checksums.of(r.net.params());
        }
        measure(m);
        r.lastStep = step;
        r.lastMessage = m;
        TaskFaults.maybeFail(step);
        return m;
    }

    private GradientMessage round2(Replica r, StepPlan p, int partition) {
        if (r == null || r.lastStep != step || r.version != step) {
            return GradientMessage.needingSnapshot(step); // round 1 of this step ran elsewhere: redo the step
        }
        if (r.lastRound2Step == step) {
            return r.lastRound2Message;
        }
        long start = System.nanoTime();
        GradientMessage m = new GradientMessage(step);
        m.round = 2;
        m.workers = 1;
        r.encodeRound2(m, downlink.value().segments, partition, p.seed());
        m.sumEncodeNanos = System.nanoTime() - start;
        measure(m);
        r.lastRound2Step = step;
        r.lastRound2Message = m;
        return m;
    }

    /** Fills the per-segment and total byte counts from Kryo's output. */
    private static void measure(GradientMessage m) {
        m.segmentBytes = new long[m.segments.length];
        for (int j = 0; j < m.segments.length; j++) {
            m.segmentBytes[j] = WireMeter.size(m.segments[j]);
        }
        m.uplinkBytes = WireMeter.size(m); // uplinkBytes is fixed-width on the wire, so this stays exact
    }
}
