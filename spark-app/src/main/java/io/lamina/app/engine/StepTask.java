package io.lamina.app.engine;

import io.lamina.datasets.DataBlock;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * The executor side of one training step for one partition (DESIGN.md, "One training step"):
 * bring the replica to this step's version (apply the previous step's downlink, or rebuild from the
 * snapshot), compute the gradient on the minibatch derived from (seed, epoch, step, partition),
 * compress it segment by segment through the memory, and emit the message.
 *
 * <p>A rerun of the same step on the same executor re-sends the cached message, so error feedback
 * is applied once; a rerun elsewhere rebuilds the replica with zero residuals.
 */
final class StepTask implements FlatMapFunction<Iterator<DataBlock>, GradientMessage> {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final Broadcast<StepPlan> plan;
    private final Broadcast<Snapshot> snapshot;
    /** The aggregate of step {@code step - 1}; null at step 0. */
    private final Broadcast<GradientMessage> downlink;
    /** Partitions whose replica disagreed with the master and must rebuild from the snapshot. */
    private final int[] forceRebuild;

    StepTask(long step, Broadcast<StepPlan> plan, Broadcast<Snapshot> snapshot, Broadcast<GradientMessage> downlink,
            int[] forceRebuild) {
        this.step = step;
        this.forceRebuild = forceRebuild;
        this.plan = plan;
        this.snapshot = snapshot;
        this.downlink = downlink;
    }

    @Override
    public Iterator<GradientMessage> call(Iterator<DataBlock> blocks) {
        DataBlock block = blocks.next();
        StepPlan p = plan.value();
        int partition = TaskContext.getPartitionId();
        Replica r = ReplicaRegistry.replica(p.runId(), partition);
        for (int bad : forceRebuild) {
            if (bad == partition && r != null && r.lastStep != step) {
                r = null;
            }
        }
        if (r != null && r.lastStep == step) {
            return List.of(r.lastMessage).iterator(); // a rerun of a step already computed here
        }
        long applyStart = System.nanoTime();
        int rebuilt = 0;
        if (r != null && r.version == step - 1 && downlink != null) {
            r.apply(downlink.value(), p);
        } else if (r == null || r.version != step) {
            Snapshot snap = snapshot.value();
            if (snap.version() != step) {
                return List.of(GradientMessage.needingSnapshot(step)).iterator();
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
        r.net.copyGradient(r.gradient);
        long encodeStart = System.nanoTime();
        GradientMessage m = new GradientMessage(step);
        m.segments = r.encode(step, partition, p.seed());
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
        m.uplinkBytes = serializedSize(m);
        r.lastStep = step;
        r.lastMessage = m;
        return List.of(m).iterator();
    }

    /** Bytes of the message as Spark's configured serializer (Kryo) writes it. */
    static long serializedSize(GradientMessage m) {
        ByteBuffer bytes = SparkEnv.get().serializer().newInstance()
                .serialize(m, scala.reflect.ClassTag$.MODULE$.apply(GradientMessage.class));
        return bytes.remaining();
    }
}
