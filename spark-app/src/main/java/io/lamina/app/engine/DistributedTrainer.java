package io.lamina.app.engine;

import io.lamina.app.model.Dl4jNet;
import io.lamina.app.model.ModelShape;
import io.lamina.app.model.Models;
import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.granularity.Granularity;
import io.lamina.compression.Layout;
import io.lamina.compression.method.Memories;
import io.lamina.compression.Message;
import io.lamina.compression.TwoRoundCompressor;
import io.lamina.datasets.DataBlock;
import io.lamina.datasets.LabeledData;
import io.lamina.datasets.Partitioner;
import io.lamina.datasets.TrainTestData;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver side of synchronous data-parallel training (DESIGN.md, "One training step"). Per
 * step it runs one Spark job over the cached data blocks that hands the tasks the previous step's
 * aggregate (a small broadcast), tree-reduces the workers' compressed messages, decodes the
 * aggregate into the averaged gradient, applies it to the master copy with DL4J's updater, and
 * keeps the aggregate as the next step's downlink.
 */
public final class DistributedTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);
    private static final int MAX_SNAPSHOT_RERUNS = 3;

    private final JavaSparkContext sc;
    private final TrainConfig config;
    private final String runId = "run-" + UUID.randomUUID();
    private final Dl4jNet master;
    private final StepPlan planValue;
    private final Compressor compressor;
    private final long totalSteps;
    private final List<StepListener> listeners = new ArrayList<>();

    private Broadcast<StepPlan> plan;
    private Broadcast<LabeledData> trainData;
    private Broadcast<LabeledData> testData;
    private JavaRDD<DataBlock> blocks;
    private JavaRDD<LabeledData> testSlices;
    private Broadcast<Snapshot> snapshot;
    private Broadcast<GradientMessage> downlink;
    private long step;
    private long checksumMismatches;
    /** Partitions whose replicas must rebuild from the snapshot at the next step. */
    private int[] forceRebuild = new int[0];
    private long rebuiltReplicas;
    private long uplinkBytes;
    private long downlinkBytes;
    private double lastLoss = Double.NaN;
    private final TrainTestData data;
    /**
     * The master copy's update runs here, overlapped with the next step's Spark job: nothing on
     * the next step's path needs it (replicas apply the broadcast aggregate themselves). Every
     * read of the master waits for it first ({@link #awaitMaster()}).
     */
    private final ExecutorService masterUpdates = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lamina-master-update");
        t.setDaemon(true);
        return t;
    });
    private Future<?> pendingMasterUpdate;
    private TreeLevelBytes treeLevels;

    public DistributedTrainer(JavaSparkContext sc, TrainConfig config, TrainTestData data) {
        this.sc = sc;
        this.config = config.validate();
        this.data = data;
        LabeledData train = data.train();
        int stepsPerEpoch = stepsPerEpoch(config, train);
        this.totalSteps = config.steps > 0 ? config.steps : (long) config.epochs * stepsPerEpoch;
        ModelShape shape = new ModelShape(train.shape().channels(), train.shape().height(), train.shape().width(),
                train.numClasses());
        this.master = Models.create(config.model, shape, config.optimizer.toUpdater(totalSteps), config.seed);
        Layout segments = Granularity.parse(config.granularity).apply(master.tensorLayout());
        CompressorSpec spec = Compressors.parse(config.compressor);
        this.compressor = spec.create(segments);
        this.planValue = new StepPlan(runId, master.configJson(), master.isGraph(), segments, spec,
                Memories.parse(config.memory), config.batchPerWorker, stepsPerEpoch, config.seed, config.workers,
                config.checksumEvery, config.optimizerOn);
    }

    /**
     * Steps per epoch for this data, after checking that a worker's batch fits in its partition.
     * Call before starting Spark to fail early.
     *
     * @throws IllegalArgumentException if the batch is larger than the smallest partition
     */
    public static int stepsPerEpoch(TrainConfig config, LabeledData train) {
        int smallest = Partitioner.partSize(train.numExamples(), config.workers, config.workers - 1);
        if (config.batchPerWorker > smallest) {
            throw new IllegalArgumentException("--batch " + config.batchPerWorker + " is larger than a partition: "
                    + train.numExamples() + " training examples over " + config.workers + " workers give "
                    + smallest + " per worker; allowed: 1.." + smallest);
        }
        return smallest / config.batchPerWorker;
    }

    public void addListener(StepListener listener) {
        listeners.add(listener);
    }

    /** Caches the data blocks on the executors and publishes the plan and the initial snapshot. */
    public void start() {
        if (plan != null) {
            return;
        }
        plan = sc.broadcast(planValue);
        treeLevels = new TreeLevelBytes(runId);
        sc.sc().addSparkListener(treeLevels);
        int n = config.workers;
        long seed = config.seed;
        trainData = sc.broadcast(data.train());
        testData = sc.broadcast(data.test());
        Broadcast<LabeledData> train = trainData;
        Broadcast<LabeledData> test = testData;
        List<Integer> parts = IntStream.range(0, n).boxed().collect(Collectors.toList());
        // Blocks are built on the executors from the broadcast, so a task never carries its data.
        blocks = sc.parallelize(parts, n).map(p -> Partitioner.block(train.value(), n, p, seed))
                .persist(StorageLevel.MEMORY_ONLY());
        testSlices = sc.parallelize(parts, n).map(p -> Partitioner.evaluationSlices(test.value(), n).get(p))
                .persist(StorageLevel.MEMORY_ONLY());
        blocks.count();
        testSlices.count();
        snapshot = sc.broadcast(Snapshot.of(0, master, compressor));
        LOG.info("run {}: {} with {} parameters in {} compression segments, {} workers x {} examples, {} steps",
                runId, config.model.cliName(), master.numParams(), planValue.segments().size(), n,
                config.batchPerWorker, totalSteps);
    }

    /** Runs all remaining steps, evaluating every {@code evalEvery} steps and at the end. */
    public EvalResult fit() {
        start();
        EvalResult last = null;
        while (step < totalSteps) {
            boolean evalNow = step + 1 == totalSteps
                    || (config.evalEvery > 0 && (step + 1) % config.evalEvery == 0);
            last = runStep(evalNow);
        }
        return last;
    }

    /** One synchronous step; evaluates the new master afterwards if {@code evaluate}. */
    public EvalResult runStep(boolean evaluate) {
        start();
        sc.setJobGroup(runId + "-step", "lamina step " + step, false);
        long t0 = System.nanoTime();
        int[] reruns = {0};
        GradientMessage agg;
        long extraDownlinkBytes = 0;
        if (compressor instanceof TwoRoundCompressor twoRound) {
            while (true) {
                GradientMessage agg1 = runRound(1, downlink, reruns);
                GradientMessage d1 = new GradientMessage(step);
                d1.workers = agg1.workers;
                d1.segments = new Message[agg1.segments.length];
                for (int j = 0; j < d1.segments.length; j++) {
                    d1.segments[j] = twoRound.finishRound1(agg1.segments[j]);
                }
                Broadcast<GradientMessage> round1 = sc.broadcast(d1);
                GradientMessage agg2 = blocks.mapPartitions(new StepTask(step, 2, plan, snapshot, round1, forceRebuild))
                        .treeReduce(merger(), config.treeDepth);
                round1.destroy(false);
                if (agg2.needSnapshot > 0) { // a replica lost between the rounds: redo the step from a snapshot
                    if (++reruns[0] > MAX_SNAPSHOT_RERUNS) {
                        throw new IllegalStateException("step " + step + ": replicas keep getting lost between rounds");
                    }
                    publishSnapshot();
                    continue;
                }
                extraDownlinkBytes = WireMeter.size(d1) * config.workers;
                agg = combineRounds(agg1, agg2, d1);
                break;
            }
        } else {
            agg = runRound(1, downlink, reruns);
        }
        sc.clearJobGroup(); // evaluations and other jobs are not part of the aggregation tree
        long t1 = System.nanoTime();

        double loss = agg.meanLoss();
        float[] update = new float[master.numParams()];
        long masterChecksum = 0;
        if (agg.checksums != null) {
            awaitMaster();
            masterChecksum = Checksums.of(master.params());
        }
        UpdateApplier.decode(agg, compressor, planValue.segments(), update);
        int bad = firstNonFinite(update);
        if (!Double.isFinite(loss) || bad >= 0) {
            throw new TrainingDivergedException("step " + step + ": the " + (Double.isFinite(loss)
                    ? "averaged gradient has NaN or infinite values (first in segment " + segmentOf(bad) + ")"
                    : "loss is " + loss) + "; the model of the last good step (" + step + " updates) is kept");
        }
        awaitMaster();
        long appliedStep = step;
        pendingMasterUpdate = masterUpdates.submit(() -> UpdateApplier.apply(master, update, planValue, appliedStep));

        int mismatched = checkReplicas(agg, masterChecksum);
        if (downlink != null) {
            downlink.destroy(false); // its job is done; the next one uses this step's aggregate
        }
        downlink = sc.broadcast(agg);
        long down = WireMeter.size(agg) * config.workers + extraDownlinkBytes;
        long t2 = System.nanoTime(); // the downlink's measurement is on the path to the next step too
        step++;
        if (mismatched > 0) {
            publishSnapshot(); // the replicas that disagree rebuild from the master at the next step
        }
        lastLoss = loss;
        rebuiltReplicas += agg.rebuilt;
        uplinkBytes += agg.uplinkBytes;
        downlinkBytes += down;

        EvalResult eval = evaluate ? evaluate() : null;
        int w = Math.max(1, agg.workers - agg.needSnapshot);
        StepRecord rec = new StepRecord(step - 1, planValue.epochOf(step - 1), (t2 - t0) / 1e6,
                agg.maxComputeNanos / 1e6, agg.sumComputeNanos / 1e6 / w, agg.sumEncodeNanos / 1e6 / w,
                agg.sumApplyNanos / 1e6 / w, (t2 - t1) / 1e6, loss, agg.uplinkBytes, down, agg.rebuilt, reruns[0],
                agg.examples, eval == null ? null : eval.accuracy(), eval == null ? null : eval.loss(),
                segmentStats(agg), Math.sqrt(agg.residualNormSq));
        for (StepListener l : listeners) {
            l.onStep(rec);
        }
        return eval;
    }

    /** Runs round {@code round} of this step, publishing a snapshot and rerunning while replicas are missing. */
    private GradientMessage runRound(int round, Broadcast<GradientMessage> previous, int[] reruns) {
        GradientMessage agg = blocks.mapPartitions(new StepTask(step, round, plan, snapshot, previous, forceRebuild))
                .treeReduce(merger(), config.treeDepth);
        while (agg.needSnapshot > 0) {
            if (++reruns[0] > MAX_SNAPSHOT_RERUNS) {
                throw new IllegalStateException("step " + step + ": " + agg.needSnapshot
                        + " workers still cannot rebuild their replica after " + MAX_SNAPSHOT_RERUNS + " snapshots");
            }
            LOG.warn("step {}: {} worker(s) lost their replica; publishing a snapshot at version {}", step,
                    agg.needSnapshot, step);
            publishSnapshot();
            agg = blocks.mapPartitions(new StepTask(step, round, plan, snapshot, previous, forceRebuild))
                    .treeReduce(merger(), config.treeDepth);
        }
        return agg;
    }

    private GradientMerger merger() {
        return new GradientMerger(planValue.compressor(), planValue.segments());
    }

    /** The step's aggregate of a two-round method: round 2's messages, the round-1 downlink, both rounds' costs. */
    private static GradientMessage combineRounds(GradientMessage agg1, GradientMessage agg2, GradientMessage d1) {
        GradientMessage m = agg1;
        m.round1 = d1.segments;
        m.segments = agg2.segments;
        m.uplinkBytes += agg2.uplinkBytes;
        m.sumEncodeNanos += agg2.sumEncodeNanos;
        if (m.segmentBytes != null && agg2.segmentBytes != null) {
            for (int j = 0; j < m.segmentBytes.length; j++) {
                m.segmentBytes[j] += agg2.segmentBytes[j];
            }
        }
        return m;
    }

    /** Per-segment uplink bytes and density (non-zeros of what was sent over elements), for the metrics. */
    private List<StepRecord.SegmentStat> segmentStats(GradientMessage agg) {
        List<StepRecord.SegmentStat> stats = new ArrayList<>();
        Layout layout = planValue.segments();
        int w = Math.max(1, agg.workers);
        for (int j = 0; j < layout.size(); j++) {
            long bytes = agg.segmentBytes == null ? 0 : agg.segmentBytes[j];
            double density = agg.segmentNonZeros == null ? Double.NaN
                    : (double) agg.segmentNonZeros[j] / ((long) layout.get(j).length() * w);
            stats.add(new StepRecord.SegmentStat(layout.get(j).name(), layout.get(j).length(), bytes, density));
        }
        return stats;
    }

    /** Compares the replicas' checksums (of version {@code step}) with the master's; returns the mismatches. */
    private int checkReplicas(GradientMessage agg, long masterChecksum) {
        forceRebuild = new int[0];
        if (agg.checksums == null) {
            return 0;
        }
        int bad = 0;
        for (int p = 0; p < agg.checksums.length; p++) {
            if (agg.checksums[p] != 0 && agg.checksums[p] != masterChecksum) {
                bad++;
                LOG.warn("step {}: replica {} disagrees with the master; it will be rebuilt", step, p);
                forceRebuild = java.util.Arrays.copyOf(forceRebuild, forceRebuild.length + 1);
                forceRebuild[forceRebuild.length - 1] = p;
            }
        }
        checksumMismatches += bad;
        return bad;
    }

    /** Waits for the master's pending update (rethrowing its failure). */
    private void awaitMaster() {
        if (pendingMasterUpdate == null) {
            return;
        }
        try {
            pendingMasterUpdate.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while updating the master copy", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("updating the master copy failed: " + e.getCause(), e.getCause());
        } finally {
            pendingMasterUpdate = null;
        }
    }

    private void publishSnapshot() {
        awaitMaster();
        Broadcast<Snapshot> old = snapshot;
        snapshot = sc.broadcast(Snapshot.of(step, master, compressor)); // step == updates applied
        old.destroy(false);
    }

    /** Evaluates the master's current parameters on the test set, distributed. */
    public EvalResult evaluate() {
        start();
        awaitMaster();
        return Evaluator.evaluate(sc, testSlices, plan, master.params());
    }

    private static int firstNonFinite(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }

    private String segmentOf(int index) {
        for (io.lamina.compression.Segment s : planValue.segments()) {
            if (index >= s.offset() && index < s.end()) {
                return s.name() + ", element " + (index - s.offset());
            }
        }
        return "?";
    }

    /**
     * Bytes that crossed each level of the aggregation tree over all steps so far, measured from
     * Spark's task metrics (level 0: the workers' messages as Spark shipped them; one more level
     * per intermediate {@code treeReduce} stage). Empty before the first step.
     */
    public List<Long> treeLevelBytes() {
        return treeLevels == null ? List.of() : treeLevels.totals(sc.sc());
    }

    /** Frees the cached data, the broadcasts and this run's replicas (on the executors and here). */
    public void close() {
        awaitMaster();
        masterUpdates.shutdown();
        if (treeLevels != null) {
            sc.sc().removeSparkListener(treeLevels);
        }
        if (blocks != null) {
            // Replicas live in the executors' JVMs (long-lived in notebooks): free them there too,
            // on the executors that hold the cached blocks, where the step tasks ran.
            String id = runId;
            try {
                blocks.foreachPartition(it -> ReplicaRegistry.removeRun(id));
            } catch (RuntimeException e) { // best effort: never hide the error that made us close
                LOG.warn("could not free the replicas of {} on the executors: {}", runId, e.toString());
            }
            blocks.unpersist(false);
            testSlices.unpersist(false);
        }
        for (Broadcast<?> b : new Broadcast<?>[] {plan, trainData, testData, snapshot, downlink}) {
            if (b != null) {
                b.destroy(false);
            }
        }
        ReplicaRegistry.removeRun(runId);
    }

    /** The master copy, with every update so far applied. */
    public Dl4jNet master() {
        awaitMaster();
        return master;
    }

    public String runId() {
        return runId;
    }

    public long step() {
        return step;
    }

    public long totalSteps() {
        return totalSteps;
    }

    public StepPlan plan() {
        return planValue;
    }

    public long checksumMismatches() {
        return checksumMismatches;
    }

    public long rebuiltReplicas() {
        return rebuiltReplicas;
    }

    public long uplinkBytes() {
        return uplinkBytes;
    }

    public long downlinkBytes() {
        return downlinkBytes;
    }

    public double lastLoss() {
        return lastLoss;
    }

    /**
     * Local mode only (the replicas live in this JVM): the parameters of partition {@code p}'s
     * replica after it applies the last aggregate, i.e. at the master's version.
     */
    public float[] replicaParamsAtMasterVersion(int p) {
        Replica r = ReplicaRegistry.replica(runId, p);
        if (r == null) {
            return null;
        }
        if (r.version == step - 1 && downlink != null) {
            r.apply(downlink.value(), planValue);
        }
        return r.version == step ? r.net.params() : null;
    }
}
