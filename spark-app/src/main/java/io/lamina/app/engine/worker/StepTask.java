package io.lamina.app.engine.worker;

import io.lamina.app.config.OptimizerPlacement;
import io.lamina.app.engine.protocol.Aggregate;
import io.lamina.app.engine.protocol.Checkpoint;
import io.lamina.app.engine.protocol.Checksums;
import io.lamina.app.engine.protocol.CompressionError;
import io.lamina.app.engine.protocol.Downlink;
import io.lamina.app.engine.protocol.LaminaBroadcast;
import io.lamina.app.engine.protocol.LaminaBytes;
import io.lamina.app.engine.protocol.Snapshot;
import io.lamina.app.engine.protocol.StepPlan;
import io.lamina.app.engine.protocol.Telemetry;
import io.lamina.app.engine.protocol.Uplink;
import io.lamina.app.engine.protocol.WorkerState;
import io.lamina.compression.Message;
import io.lamina.datasets.DataBlock;
import io.lamina.datasets.SeededRandom;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The executor side of one round of a training step for one partition. Round 0 brings the
 * replica to this step's version (applies the previous step's downlink, or rebuilds it from the
 * snapshot), computes the gradient on the minibatch derived from (seed, epoch, step, partition)
 * and compresses it through the memory; later rounds encode the same compensated gradient against
 * this step's earlier downlinks. Each task ships its {@link Aggregate} of one worker as Lamina's
 * bytes ({@link LaminaBytes}); its data block arrives as Lamina's bytes too, decoded once per
 * executor ({@link ReplicaRegistry#block}).
 *
 * <p>A rerun of a round on the executor that already computed it re-sends what it shipped, so
 * error feedback is applied once; a rerun elsewhere rebuilds the replica with zero residuals
 * (round 0) or asks for the step to be redone from a snapshot (later rounds).
 */
public final class StepTask implements FlatMapFunction<Iterator<byte[]>, byte[]> {

    private static final long serialVersionUID = 1L;
    /** Salt of the per-(step, partition) seed of a model's dropout masks and weight noise. */
    private static final long RANDOMNESS_STREAM = 0x44524f50L; // "DROP"

    private final long step;
    private final int round;
    /** Which try of this step: a later round's message is resent only to the same try (its earlier downlinks). */
    private final int attempt;
    private final LaminaBroadcast<StepPlan> plan;
    private final LaminaBroadcast<Snapshot> snapshot;
    /** Round 0: the complete downlink of step {@code step - 1} (null at step 0). Later: this step's so far. */
    private final LaminaBroadcast<Downlink> downlink;
    /**
     * Per partition, the id of the replica whose message the driver merged last step (0: any,
     * {@link #REBUILD}: none, it disagreed with the master); null at the start.
     */
    private final long[] owners;

    private final RunCounters counters;
    /** The checkpoint a resumed run continues from (its first step only); null otherwise. */
    private final LaminaBroadcast<Checkpoint> resume;

    /** An owner no replica has: the partition's replica must rebuild from the snapshot. */
    public static final long REBUILD = -1;

    public StepTask(long step, int round, int attempt, LaminaBroadcast<StepPlan> plan,
            LaminaBroadcast<Snapshot> snapshot, LaminaBroadcast<Downlink> downlink, long[] owners, RunCounters counters,
            LaminaBroadcast<Checkpoint> resume) {
        this.step = step;
        this.round = round;
        this.attempt = attempt;
        this.plan = plan;
        this.snapshot = snapshot;
        this.downlink = downlink;
        this.owners = owners;
        this.counters = counters;
        this.resume = resume;
    }

    @Override
    public Iterator<byte[]> call(Iterator<byte[]> blocks) {
        byte[] bytes = blocks.next();
        while (blocks.hasNext()) { // one block per partition; draining releases the cached block's read lock
            blocks.next();
        }
        StepPlan p = plan.value();
        int partition = TaskContext.getPartitionId();
        DataBlock block = ReplicaRegistry.block(p.runId(), partition, bytes);
        TaskFaults.beforeRound(p.runId(), step, round, partition);
        Replica r = ReplicaRegistry.replica(p.runId(), partition);
        Aggregate shipped = round == 0 ? firstRound(r, p, partition, block) : laterRound(r, p, partition);
        byte[] out = LaminaBytes.write(shipped);
        counters.add(out.length, shipped.telemetry());
        return List.of(out).iterator();
    }

    private Aggregate firstRound(Replica r, StepPlan p, int partition, DataBlock block) {
        long owner = owners == null ? 0 : owners[partition];
        if (r != null && owner != 0 && r.id != owner && r.lastStep != step) {
            // Not the replica the driver heard from last step: a copy a speculative task left here,
            // one the partition moved away from, or one that disagreed with the master.
            ReplicaRegistry.drop(p.runId(), partition);
            r = null;
        }
        if (r != null && r.lastStep == step) {
            return r.shipped[0]; // a rerun of a step already computed here
        }
        long applyStart = System.nanoTime();
        int rebuilt = 0;
        if (r != null && r.version == step - 1 && downlink != null) {
            r.apply(downlink.value(), p);
        } else if (r == null || r.version != step) {
            Snapshot snap = snapshot.value();
            if (snap.version() != step) {
                return Aggregate.snapshotRequest(step, round, partition);
            }
            r = Replica.fromSnapshot(p, snap);
            WorkerState saved = savedState(partition);
            if (saved != null) {
                r.restore(saved); // a resumed run: the worker continues where the checkpoint left it
            }
            ReplicaRegistry.put(p.runId(), partition, r);
            rebuilt = step > 0 && saved == null ? 1 : 0; // the first build is the start, not a rebuild
        }
        long applyNanos = System.nanoTime() - applyStart;

        int b = p.batchPerWorker();
        long computeStart = System.nanoTime();
        double loss = localGradient(r, p, block);
        long encodeStart = System.nanoTime(); // the pass to wire units counts as part of compression
        TaskFaults.maybePoison(step, partition, r.gradient);
        int divisor = p.optimizerOn() == OptimizerPlacement.WORKERS ? 1 : b;
        Aggregate.NonFinite bad = toWireUnits(r.gradient, divisor, p, partition);
        if (bad != null) {
            return Aggregate.nonFinite(step, round, bad); // nothing compressed: the driver stops the run
        }
        long[] nonZeros = new long[p.segments().size()];
        // Measured where the worker feeds back its own message, i.e. knows what it sent.
        CompressionError error = p.isTheoryStep(step) && !r.protocol.feedbackAfterAggregate()
                ? CompressionError.zeros(p.segments().size()) : null;
        Message[] segments = r.uplink(step, 0, Downlink.start(step), partition, p.seed(), nonZeros, error);
        long end = System.nanoTime();

        long compute = encodeStart - computeStart;
        Telemetry t = new Telemetry(rebuilt, b, compute, compute, end - encodeStart, applyNanos, 0,
                null, r.protocol.feedbackAfterAggregate() ? null : nonZeros, r.residualNormSquared(), error);
        long checksum = p.isChecksumStep(step) ? Checksums.of(r.net.params()) : 0;
        Aggregate shipped = ship(r, new Uplink(step, 0, partition, segments, loss, checksum, r.id, t), p);
        TaskFaults.maybeFail(step);
        return shipped;
    }

    /** This worker's state in the checkpoint a resumed run starts from, if this is that step. */
    private WorkerState savedState(int partition) {
        if (resume == null) {
            return null;
        }
        Checkpoint c = resume.value();
        WorkerState w = partition < c.workers().length ? c.workers()[partition] : null;
        return w != null && w.version() == step ? w : null;
    }

    /**
     * Forward and backward on this step's minibatch into {@code r.gradient}: DL4J's gradient
     * summed over the batch, or with the optimizer on the workers the update it makes. Returns the loss.
     */
    private double localGradient(Replica r, StepPlan p, DataBlock block) {
        int b = p.batchPerWorker();
        if (r.features == null) {
            r.features = new float[b * block.featureSize()];
            r.labels = new float[b * block.numClasses()];
        }
        block.fillBatch(p.epochOf(step), p.stepInEpochOf(step), b, r.features, r.labels);
        r.net.seedRandomness(SeededRandom.derive(p.seed(), RANDOMNESS_STREAM, step, block.partition()));
        double loss = r.net.computeGradient(r.features, r.labels, b);
        if (p.optimizerOn() == OptimizerPlacement.WORKERS) {
            r.net.computeUpdate(r.gradient, b, p.epochOf(step));
        } else {
            r.net.copyGradient(r.gradient);
        }
        return loss;
    }

    private Aggregate laterRound(Replica r, StepPlan p, int partition) {
        if (r == null || r.lastStep != step || r.version != step) {
            return Aggregate.snapshotRequest(step, round, partition); // round 0 ran elsewhere: redo the step
        }
        if (r.shipped[round] != null && r.shippedAttempt[round] == attempt) {
            return r.shipped[round]; // a task rerun; a new try has new earlier downlinks, so it encodes afresh
        }
        long start = System.nanoTime();
        Message[] segments = r.uplink(step, round, downlink.value(), partition, p.seed(), null, null);
        Telemetry t = new Telemetry(0, 0, 0, 0, System.nanoTime() - start, 0, 0, null, null, 0, null);
        return ship(r, new Uplink(step, round, partition, segments, 0, 0, 0, t), p);
    }

    /** The shipped form of an uplink; cached for reruns. */
    private Aggregate ship(Replica r, Uplink u, StepPlan p) {
        Aggregate one = Aggregate.of(u, p.workers()); // its byte counts are taken where it is read
        if (u.round() == 0) {
            java.util.Arrays.fill(r.shipped, null);
            r.lastStep = step;
        }
        r.shipped[u.round()] = one;
        r.shippedAttempt[u.round()] = attempt;
        return one;
    }

    /**
     * Divides the gradient by {@code divisor} (the batch, as DL4J leaves the sum: the wire carries
     * the mean over the worker's batch, the unit users and papers reason in; 1 for an update) and
     * finds its first NaN or infinity (any method must stop on one, whatever it would send), or
     * returns null. Division, not multiplication by 1/b, so that it rounds as DL4J's updater would.
     */
    private static Aggregate.NonFinite toWireUnits(float[] gradient, int divisor, StepPlan p, int partition) {
        if (divisor != 1) {
            // A loop of its own: C2 vectorises it. Fused with the scan below it did not, and the
            // pass took about 1.7x as long over LeNet's 431,080 values.
            float d = divisor;
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] /= d;
            }
        }
        for (int i = 0; i < gradient.length; i++) {
            if (!Float.isFinite(gradient[i])) {
                int j = p.segments().indexOf(i);
                return new Aggregate.NonFinite(partition, j, i - p.segments().get(j).offset());
            }
        }
        return null;
    }
}
