package io.lamina.app.engine.driver;

import io.lamina.app.engine.protocol.Aggregate;
import io.lamina.app.engine.protocol.AggregateMerger;
import io.lamina.app.engine.protocol.Checkpoint;
import io.lamina.app.engine.protocol.Downlink;
import io.lamina.app.engine.protocol.LaminaBroadcast;
import io.lamina.app.engine.protocol.LaminaBytes;
import io.lamina.app.engine.protocol.MergeTree;
import io.lamina.app.engine.protocol.StepPlan;
import io.lamina.app.engine.worker.StepTask;
import io.lamina.app.engine.worker.RunCounters;
import io.lamina.compression.RoundProtocol;
import io.lamina.compression.Segment;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rounds of one step: per round, one Spark job over the cached data blocks whose tasks
 * ({@link StepTask}) ship their results, summed in the {@link MergeTree}'s fixed order (groups of
 * consecutive partitions on the executors, the rest on the driver, as Spark's treeReduce would,
 * but with the same bits whatever order tasks finish in); the merged aggregate becomes that round's
 * downlink, broadcast to the next round. When a worker asks for a snapshot (its replica was lost),
 * a fresh one is published and the step restarts from round 0 as a new try. A worker's non-finite
 * gradient stops the run.
 *
 * <p>Everything handed to Spark is Lamina's bytes ({@link LaminaBytes}): the tasks' results, the
 * intermediate levels' shuffle records ({@code Tuple2<Integer, byte[]>}: the group and a partial
 * aggregate) and the downlink broadcasts.
 */
final class StepExchange {

    private static final Logger LOG = LoggerFactory.getLogger(StepExchange.class);
    static final int MAX_SNAPSHOT_RERUNS = 3;

    /**
     * A step's exchange: each round's merged aggregate, the complete downlink, the snapshot
     * reruns it took, and the bytes of the intermediate rounds' downlinks sent to all workers.
     */
    record Result(Aggregate[] rounds, Downlink downlink, int reruns, long intermediateDownlinkBytes) {
    }

    private final JavaSparkContext sc;
    private final JavaRDD<byte[]> blocks;
    private final LaminaBroadcast<StepPlan> plan;
    private final Snapshots snapshots;
    private final RoundProtocol protocol;
    private final MergeTree tree;
    private final AggregateMerger merger;
    private final RunCounters counters;

    StepExchange(JavaSparkContext sc, JavaRDD<byte[]> blocks, LaminaBroadcast<StepPlan> plan, Snapshots snapshots,
            RoundProtocol protocol, int treeDepth, RunCounters counters) {
        this.sc = sc;
        this.blocks = blocks;
        this.plan = plan;
        this.snapshots = snapshots;
        this.protocol = protocol;
        this.tree = MergeTree.of(plan.value().workers(), treeDepth);
        this.merger = new AggregateMerger(plan, tree);
        this.counters = counters;
    }

    /**
     * Runs step {@code step}; round 0's tasks first apply {@code previous} (null at step 0), and
     * workers rebuilding at the first step of a resumed run restore their state from {@code resume}.
     */
    Result run(long step, LaminaBroadcast<Downlink> previous, long[] owners, LaminaBroadcast<Checkpoint> resume) {
        int reruns = 0;
        while (true) {
            Result r = tryRounds(step, previous, owners, resume, reruns); // reruns numbers the try
            if (r != null) {
                return r;
            }
            if (++reruns > MAX_SNAPSHOT_RERUNS) {
                throw new IllegalStateException("step " + step + ": workers still cannot rebuild their replica after "
                        + MAX_SNAPSHOT_RERUNS + " snapshots");
            }
            LOG.warn("step {}: a worker lost its replica; publishing a snapshot at version {}", step, step);
            snapshots.publish(step);
        }
    }

    /** All rounds of the step, or null as soon as a worker asks for a snapshot. */
    private Result tryRounds(long step, LaminaBroadcast<Downlink> previous, long[] owners,
            LaminaBroadcast<Checkpoint> resume, int reruns) {
        Aggregate[] rounds = new Aggregate[protocol.rounds()];
        Downlink down = Downlink.start(step);
        long intermediateBytes = 0;
        for (int r = 0; r < rounds.length; r++) {
            LaminaBroadcast<Downlink> in = r == 0 ? previous : LaminaBroadcast.of(sc, down, Downlink.class);
            rounds[r] = reduce(blocks.mapPartitions(new StepTask(step, r, reruns, plan, snapshots.current(), in,
                    owners, counters, resume)));
            if (r > 0) {
                intermediateBytes += in.size() * plan.value().workers();
                in.destroy();
            }
            stopIfNonFinite(step, rounds[r]);
            if (rounds[r].snapshotRequests() > 0) {
                return null;
            }
            down = down.withRound(rounds[r], protocol);
        }
        return new Result(rounds, down, reruns, intermediateBytes);
    }

    /** The tasks' results summed in the merge tree's fixed order. */
    private Aggregate reduce(JavaRDD<byte[]> shipped) {
        return Aggregate.read(TreeReduce.of(tree, shipped, merger));
    }

    private void stopIfNonFinite(long step, Aggregate a) {
        Aggregate.NonFinite bad = a.nonFinite();
        if (bad != null) {
            Segment s = plan.value().segments().get(bad.segment());
            throw new TrainingDivergedException("step " + step + ": worker " + bad.partition()
                    + "'s gradient has a NaN or an infinity in segment " + s.name() + " (element " + bad.element()
                    + "); the model of the last good step (" + step + " updates) is kept");
        }
    }
}
