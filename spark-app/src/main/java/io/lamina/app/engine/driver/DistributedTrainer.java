package io.lamina.app.engine.driver;

import io.lamina.app.config.TrainConfig;
import io.lamina.app.engine.protocol.Aggregate;
import io.lamina.app.engine.protocol.Downlink;
import io.lamina.app.engine.protocol.EvalResult;
import io.lamina.app.engine.protocol.LaminaBroadcast;
import io.lamina.app.engine.protocol.LaminaBytes;
import io.lamina.app.engine.protocol.StepPlan;
import io.lamina.app.engine.worker.PlacedBlocks;
import io.lamina.app.engine.worker.ReplicaRegistry;
import io.lamina.app.engine.worker.StepTask;
import io.lamina.app.engine.worker.RunCounters;
import io.lamina.app.model.Dl4jNet;
import io.lamina.app.model.ModelShape;
import io.lamina.app.model.Models;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.Layout;
import io.lamina.compression.RoundProtocol;
import io.lamina.compression.Segment;
import io.lamina.compression.granularity.Granularity;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.method.Memories;
import io.lamina.app.data.DataInfo;
import io.lamina.app.data.InMemoryData;
import io.lamina.app.data.TrainingData;
import io.lamina.datasets.LabeledData;
import io.lamina.datasets.TrainTestData;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver side of synchronous data-parallel training. Per step ({@link #runStep}): the
 * exchange runs the method's rounds over the cached data blocks (each round one Spark job whose
 * tasks first apply the previous step's downlink), the master decodes the step's downlink into
 * the averaged update and applies it, the replicas' checksums are audited, and the downlink is
 * published for the next step.
 *
 * <p>Lamina hands Spark only its own bytes ({@link LaminaBytes}): the broadcasts (plan, data sets,
 * snapshots, downlinks) and the cached blocks are {@code byte[]}, so any SparkContext works,
 * whatever its serializer and registrations.
 */
public final class DistributedTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);

    private final JavaSparkContext sc;
    private final TrainConfig config;
    private final TrainingData data;
    private final String runId = "run-" + UUID.randomUUID();
    private final StepPlan planValue;
    private final MasterCopy master;
    private final long totalSteps;
    private final List<StepListener> listeners = new ArrayList<>();
    private final ReplicaAudit audit = new ReplicaAudit();

    // Set by start(): what lives on the cluster for the run.
    private LaminaBroadcast<StepPlan> plan;
    /** Per partition, its {@code DataBlock} as Lamina's bytes (decoded once per executor). */
    private JavaRDD<byte[]> blocks;
    /** Per partition, its test slice ({@code LabeledData}) as Lamina's bytes. */
    private JavaRDD<byte[]> testSlices;
    private Snapshots snapshots;
    private StepExchange exchange;
    private TreeLevelBytes treeLevels;
    private ReplicaPlacement placement;
    /** The blocks as the step jobs read them: pinned to their replicas' executors. */
    private PlacedBlocks placed;
    private RunCounters counters;
    /** Per partition, the replica the driver heard from last step (see {@link StepTask}); null at the start. */
    private long[] owners;

    private LaminaBroadcast<Downlink> downlink;
    private long step;
    private long rebuiltReplicas;
    private long uplinkBytes;
    private long downlinkBytes;
    private double lastLoss = Double.NaN;

    /** Trains on data the driver holds (broadcast once, blocks cut on the executors). */
    public DistributedTrainer(JavaSparkContext sc, TrainConfig config, TrainTestData data) {
        this(sc, config, new InMemoryData(data));
    }

    /** Trains on {@code data} (an opened {@link io.lamina.app.data.DataSource}); {@link #close} releases it. */
    public DistributedTrainer(JavaSparkContext sc, TrainConfig config, TrainingData data) {
        this.sc = sc;
        this.config = config.validate();
        this.data = data;
        DataInfo train = data.info();
        int stepsPerEpoch = stepsPerEpoch(config, train.trainExamples());
        this.totalSteps = config.steps() > 0 ? config.steps() : (long) config.epochs() * stepsPerEpoch;
        ModelShape shape = new ModelShape(train.shape().channels(), train.shape().height(), train.shape().width(),
                train.numClasses());
        Dl4jNet net = Models.create(config.model(), shape, config.optimizer().toUpdater(totalSteps), config.seed());
        Layout segments = Granularity.parse(config.granularity()).apply(net.tensorLayout());
        CompressorSpec spec = Compressors.parse(config.compressor());
        this.planValue = new StepPlan(runId, net.configJson(), net.isGraph(), segments, spec,
                Memories.parse(config.memory()), config.batchPerWorker(), stepsPerEpoch, config.seed(), config.workers(),
                config.checksumEvery(), config.optimizerPlacement(), config.theoryEvery());
        this.master = new MasterCopy(net, RoundProtocol.of(spec.create(segments)), planValue);
    }

    /**
     * Steps per epoch for this data, after checking that a worker's batch fits in its partition.
     * Call before starting Spark to fail early.
     *
     * @throws IllegalArgumentException if the batch is larger than the smallest partition
     */
    public static int stepsPerEpoch(TrainConfig config, LabeledData train) {
        return stepsPerEpoch(config, train.numExamples());
    }

    /** {@link #stepsPerEpoch(TrainConfig, LabeledData)} for a training set of {@code examples} examples. */
    public static int stepsPerEpoch(TrainConfig config, long examples) {
        long smallest = examples / config.workers(); // partitions differ by one at most: the last is the smallest
        if (config.batchPerWorker() > smallest) {
            throw new IllegalArgumentException("--batch " + config.batchPerWorker() + " is larger than a partition: "
                    + examples + " training examples over " + config.workers() + " workers give "
                    + smallest + " per worker; allowed: 1.." + smallest);
        }
        return Math.toIntExact(smallest / config.batchPerWorker());
    }

    public void addListener(StepListener listener) {
        listeners.add(listener);
    }

    /** Caches the data blocks on the executors and publishes the plan and the initial snapshot. */
    public void start() {
        if (plan != null) {
            return;
        }
        plan = LaminaBroadcast.of(sc, planValue, StepPlan.class);
        treeLevels = new TreeLevelBytes(runId);
        sc.sc().addSparkListener(treeLevels);
        int n = config.workers();
        placement = new ReplicaPlacement(runId, n);
        sc.sc().addSparkListener(placement);
        // Blocks are built on the executors (from a broadcast, or read from files), so a task never carries its data.
        blocks = data.trainBlocks(sc, n, config.seed()).persist(StorageLevel.MEMORY_ONLY());
        testSlices = data.testSlices(sc, n).persist(StorageLevel.MEMORY_ONLY());
        blocks.count();
        testSlices.count();
        snapshots = new Snapshots(sc, master);
        snapshots.publish(0);
        placed = new PlacedBlocks(blocks.rdd(), runId);
        counters = RunCounters.register(sc.sc());
        exchange = new StepExchange(sc, placed.toJavaRDD(), plan, snapshots, master.protocol(), config.treeDepth(),
                counters);
        LOG.info("run {}: {} with {} parameters in {} compression segments, {} workers x {} examples, {} steps",
                runId, config.model().cliName(), master.network().numParams(), planValue.segments().size(), n,
                config.batchPerWorker(), totalSteps);
    }

    /** Runs all remaining steps, evaluating every {@code evalEvery} steps and at the end. */
    public EvalResult fit() {
        start();
        EvalResult last = null;
        while (step < totalSteps) {
            boolean evalNow = step + 1 == totalSteps
                    || (config.evalEvery() > 0 && (step + 1) % config.evalEvery() == 0);
            last = runStep(evalNow);
        }
        return last;
    }

    /** One synchronous step: rounds, decode, apply, audit, publish; evaluates afterwards if {@code evaluate}. */
    public EvalResult runStep(boolean evaluate) {
        start();
        // The group id keys TreeLevelBytes; the description is what the Spark UI shows for the job.
        long t0 = System.nanoTime();
        String[] locations = new String[config.workers()];
        if (placement.plan(step, locations) > 0) {
            snapshots.publish(step); // moved partitions rebuild on their new executor within this try
        }
        placed.pin(locations);
        sc.setJobGroup(runId + "-step", "lamina " + runId + ": step " + (step + 1) + "/" + totalSteps + ", epoch "
                + (planValue.epochOf(step) + 1), false);
        sc.setLocalProperty(ReplicaPlacement.STEP_PROPERTY, Long.toString(step));
        StepExchange.Result ex = exchange.run(step, downlink, owners);
        sc.clearJobGroup(); // evaluations and other jobs are not part of the aggregation tree
        sc.setLocalProperty(ReplicaPlacement.STEP_PROPERTY, null);
        long t1 = System.nanoTime();

        Aggregate first = ex.rounds()[0];
        long masterChecksum = first.checksums() != null ? master.checksum() : 0; // the version replicas had
        float[] update = master.decode(ex.downlink());
        stopIfDiverged(first.meanLoss(), update);
        master.applyAsync(update, step);
        int mismatched = audit.check(step, first.checksums(), masterChecksum);
        owners = nextOwners(first.replicas(), audit.toRebuild());
        publish(ex.downlink());
        long down = downlink.size() * config.workers() + ex.intermediateDownlinkBytes();
        long t2 = System.nanoTime(); // the downlink's measurement is on the path to the next step too
        step++;
        if (mismatched > 0) {
            snapshots.publish(step); // the replicas that disagree rebuild from the master at the next step
        }

        EvalResult eval = evaluate ? evaluate() : null;
        StepRecord rec = StepMetrics.record(step - 1, planValue, ex, t2 - t0, t2 - t1, down, eval);
        lastLoss = rec.loss();
        rebuiltReplicas += rec.rebuilt();
        uplinkBytes += rec.uplinkBytes();
        downlinkBytes += down;
        counters.stepDone(down);
        for (StepListener l : listeners) {
            l.onStep(rec);
        }
        return eval;
    }

    /**
     * The replicas the next step continues from: those whose messages were merged in this one,
     * except the ones that disagreed with the master.
     */
    private static long[] nextOwners(long[] merged, int[] disagreeing) {
        if (merged == null) {
            return null;
        }
        long[] next = merged.clone();
        for (int p : disagreeing) {
            next[p] = StepTask.REBUILD;
        }
        return next;
    }

    /** The downlink the next step's tasks apply first; the previous one's job is done. */
    private void publish(Downlink d) {
        if (downlink != null) {
            downlink.destroy();
        }
        downlink = LaminaBroadcast.of(sc, d, Downlink.class);
    }

    /** Stops the run, keeping the master at the last good step, if the loss or the update is not finite. */
    private void stopIfDiverged(double loss, float[] update) {
        int bad = firstNonFinite(update);
        if (!Double.isFinite(loss) || bad >= 0) {
            throw new TrainingDivergedException("step " + step + ": the " + (Double.isFinite(loss)
                    ? "averaged gradient has NaN or infinite values (first in segment " + segmentOf(bad) + ")"
                    : "loss is " + loss) + "; the model of the last good step (" + step + " updates) is kept");
        }
    }

    /** Evaluates the master's current parameters on the test set, distributed. */
    public EvalResult evaluate() {
        start();
        return Evaluator.evaluate(sc, testSlices, plan, master.network().params());
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
        Segment s = planValue.segments().get(planValue.segments().indexOf(index));
        return s.name() + ", element " + (index - s.offset());
    }

    /**
     * Bytes that crossed each level of the aggregation tree over all steps so far, measured from
     * Spark's task metrics (level 0: the workers' results as Spark shipped them; one more level
     * per intermediate level of the merge tree). Empty before the first step.
     */
    public List<Long> treeLevelBytes() {
        return treeLevels == null ? List.of() : treeLevels.totals(sc.sc());
    }

    /** Frees the cached data, the broadcasts and this run's replicas (on the executors and here). */
    public void close() {
        master.close();
        if (treeLevels != null) {
            sc.sc().removeSparkListener(treeLevels);
        }
        if (placement != null) {
            sc.sc().removeSparkListener(placement);
        }
        if (blocks != null) {
            freeReplicasOnExecutors();
            blocks.unpersist(false);
            testSlices.unpersist(false);
        }
        if (snapshots != null) {
            snapshots.close();
        }
        for (LaminaBroadcast<?> b : new LaminaBroadcast<?>[] {plan, downlink}) {
            if (b != null) {
                b.destroy();
            }
        }
        data.release();
        ReplicaRegistry.removeRun(runId);
    }

    /**
     * Replicas live in the executors' JVMs (long-lived in notebooks): one task pinned to every live
     * executor that ran a step task frees this run's replicas and decoded blocks there.
     */
    private void freeReplicasOnExecutors() {
        List<scala.Tuple2<Object, scala.collection.Seq<String>>> tasks = new ArrayList<>();
        placement.executorsWithReplicas().forEach((executor, host) -> tasks.add(new scala.Tuple2<>(tasks.size(),
                scala.collection.JavaConverters.asScalaBufferConverter(List.of("executor_" + host + "_" + executor))
                        .asScala().toSeq())));
        if (tasks.isEmpty()) {
            return;
        }
        String id = runId;
        try {
            sc.sc().makeRDD(scala.collection.JavaConverters.asScalaBufferConverter(tasks).asScala().toSeq(),
                    scala.reflect.ClassTag$.MODULE$.AnyRef()).toJavaRDD()
                    .foreachPartition(it -> ReplicaRegistry.removeRun(id));
        } catch (RuntimeException e) { // best effort: never hide the error that made us close
            LOG.warn("could not free the replicas of {} on the executors: {}", runId, e.toString());
        }
    }

    /** The step tasks' named accumulators ({@code lamina.*}); null before {@link #start}. */
    public RunCounters counters() {
        return counters;
    }

    /** Partitions moved to another executor to spread the work (each rebuilt there). */
    public long movedReplicas() {
        return placement == null ? 0 : placement.moves();
    }

    /** Executors lost while they held a replica of this run. */
    public long lostExecutors() {
        return placement == null ? 0 : placement.lostExecutors();
    }

    /** The master copy, with every update so far applied. */
    public Dl4jNet master() {
        return master.network();
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
        return audit.mismatches();
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
     * replica after it applies the last downlink, i.e. at the master's version; null if it cannot.
     */
    public float[] replicaParamsAtMasterVersion(int p) {
        return ReplicaRegistry.paramsAfter(runId, p, downlink == null ? null : downlink.value(), planValue);
    }
}
