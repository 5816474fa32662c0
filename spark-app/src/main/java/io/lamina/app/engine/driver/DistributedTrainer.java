package io.lamina.app.engine.driver;

import io.lamina.app.config.TrainConfig;
import io.lamina.app.engine.protocol.Aggregate;
import io.lamina.app.engine.protocol.Checkpoint;
import io.lamina.app.engine.protocol.Downlink;
import io.lamina.app.engine.protocol.EvalResult;
import io.lamina.app.engine.protocol.LaminaBroadcast;
import io.lamina.app.engine.protocol.LaminaBytes;
import io.lamina.app.engine.protocol.Snapshot;
import io.lamina.app.engine.protocol.StepPlan;
import io.lamina.app.engine.protocol.WorkerState;
import io.lamina.app.engine.worker.PlacedBlocks;
import io.lamina.app.engine.worker.ReplicaRegistry;
import io.lamina.app.engine.worker.StateTask;
import io.lamina.app.engine.worker.StepTask;
import io.lamina.app.engine.worker.RunCounters;
import io.lamina.app.model.Dl4jNet;
import io.lamina.app.model.ModelShape;
import io.lamina.app.model.ModelSource;
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
import java.util.Map;
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
    /** The data (its blocks built on the executors), or null when the blocks came {@link #prepared}. */
    private final TrainingData data;
    private final TrainingBlocks prepared;
    private final String modelName;
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
    /** The checkpoint a resumed run starts from, until its first step is done. */
    private Checkpoint resumeFrom;
    private LaminaBroadcast<Checkpoint> resume;
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
        this(sc, config, new InMemoryData(data), null, RunModel.source(config));
    }

    /** Trains the network from {@code model} (a built-in one, or the user's, checked against the data). */
    public DistributedTrainer(JavaSparkContext sc, TrainConfig config, TrainTestData data, ModelSource model) {
        this(sc, config, new InMemoryData(data), null, model);
    }

    /** Trains on {@code data} (an opened {@link io.lamina.app.data.DataSource}); {@link #close} releases it. */
    public DistributedTrainer(JavaSparkContext sc, TrainConfig config, TrainingData data) {
        this(sc, config, data, null, RunModel.source(config));
    }

    /** Trains the network from {@code model} on {@code data}; {@link #close} releases it. */
    public DistributedTrainer(JavaSparkContext sc, TrainConfig config, TrainingData data, ModelSource model) {
        this(sc, config, data, null, model);
    }

    /**
     * Trains on blocks already cut on the executors (e.g. from a {@code JavaRDD<DataSet>}); there
     * is no test set, so {@link #fit()} does not evaluate and {@link #evaluate()} cannot be called.
     */
    public DistributedTrainer(JavaSparkContext sc, TrainConfig config, TrainingBlocks blocks, ModelSource model) {
        this(sc, config, null, blocks, model);
    }

    private DistributedTrainer(JavaSparkContext sc, TrainConfig config, TrainingData data, TrainingBlocks prepared,
            ModelSource model) {
        this.sc = sc;
        this.config = config.validate();
        this.data = data;
        this.prepared = prepared;
        this.modelName = model.describe();
        ModelShape shape;
        int stepsPerEpoch;
        if (data != null) {
            DataInfo train = data.info();
            stepsPerEpoch = stepsPerEpoch(config, train.trainExamples());
            shape = new ModelShape(train.shape().channels(), train.shape().height(), train.shape().width(),
                    train.numClasses());
        } else {
            stepsPerEpoch = stepsPerEpoch(config, prepared.smallestBlock(), prepared.examples());
            shape = prepared.shape();
        }
        this.totalSteps = config.steps() > 0 ? config.steps() : (long) config.epochs() * stepsPerEpoch;
        Dl4jNet net = RunModel.create(config, model, shape, totalSteps);
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
        // partitions differ by one at most: the last is the smallest
        return stepsPerEpoch(config, Math.toIntExact(examples / config.workers()), examples);
    }

    /** {@link #stepsPerEpoch(TrainConfig, LabeledData)} for partitions whose smallest has {@code smallest} examples. */
    public static int stepsPerEpoch(TrainConfig config, int smallest, long examples) {
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
        if (prepared != null) {
            startFromPreparedBlocks(); // no test set
        } else {
            startFromData();
        }
        snapshots = new Snapshots(sc, master);
        snapshots.publish(step);
        if (resumeFrom != null) {
            resume = LaminaBroadcast.of(sc, resumeFrom, Checkpoint.class);
        }
        placed = new PlacedBlocks(blocks.rdd(), runId);
        counters = RunCounters.register(sc.sc());
        exchange = new StepExchange(sc, placed.toJavaRDD(), plan, snapshots, master.protocol(), config.treeDepth(),
                counters);
        LOG.info("run {}: {} with {} parameters in {} compression segments, {} workers x {} examples, {} steps",
                runId, modelName, master.network().numParams(), planValue.segments().size(), n,
                config.batchPerWorker(), totalSteps);
    }

    private void startFromPreparedBlocks() {
        if (prepared.blocks().getNumPartitions() != config.workers()) {
            throw new IllegalArgumentException("the prepared data has " + prepared.blocks().getNumPartitions()
                    + " blocks for " + config.workers() + " workers");
        }
        blocks = prepared.blocks();
    }

    private void startFromData() {
        int n = config.workers();
        // Blocks are built on the executors (from a broadcast, or read from files), so a task never carries its data.
        blocks = data.trainBlocks(sc, n, config.seed()).persist(StorageLevel.MEMORY_ONLY());
        testSlices = data.testSlices(sc, n).persist(StorageLevel.MEMORY_ONLY());
        blocks.count();
        testSlices.count();
    }

    /** Runs all remaining steps, evaluating every {@code evalEvery} steps and at the end. */
    public EvalResult fit() {
        return fit(() -> { });
    }

    /** {@link #fit()}, calling {@code afterEachStep} once each step is done (e.g. to checkpoint). */
    public EvalResult fit(Runnable afterEachStep) {
        start();
        EvalResult last = null;
        while (step < totalSteps) {
            boolean evalNow = testSlices != null && (step + 1 == totalSteps
                    || config.evalEvery() > 0 && (step + 1) % config.evalEvery() == 0);
            last = runStep(evalNow);
            afterEachStep.run();
        }
        if (last == null && testSlices != null) { // resumed at the end: nothing left to run
            last = evaluate();
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
        StepExchange.Result ex = exchange.run(step, downlink, owners, resume);
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
        if (resume != null) { // the workers have their state back
            resume.destroy();
            resume = null;
            resumeFrom = null;
        }
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
     * Continues from a checkpoint instead of the start: the master, the step count and the totals
     * now, every worker's state at the first step. Call before the first step; the checkpoint must
     * come from a run of the same configuration (model, workers, compressor, memory, ...).
     *
     * @throws IllegalArgumentException if it does not fit this run
     */
    public void resumeFrom(Checkpoint c) {
        if (plan != null) {
            throw new IllegalStateException("resume before the first step");
        }
        if (c.workers().length != config.workers()) {
            throw new IllegalArgumentException("the checkpoint has " + c.workers().length + " workers; this run has "
                    + config.workers());
        }
        if (c.steps() > totalSteps) {
            throw new IllegalArgumentException("the checkpoint is at step " + c.steps() + ", past this run's "
                    + totalSteps + " steps");
        }
        master.restore(c.master());
        step = c.steps();
        uplinkBytes = c.uplinkBytes();
        downlinkBytes = c.downlinkBytes();
        rebuiltReplicas = c.rebuiltReplicas();
        audit.restore(c.checksumMismatches());
        resumeFrom = c;
    }

    /**
     * Everything needed to continue this run exactly from here ({@link #resumeFrom}): the master
     * at the current step and every worker's state, read by one Spark job over the replicas.
     * {@code settings} is the configuration as the command line would give it.
     */
    public Checkpoint checkpoint(Map<String, String> settings) {
        start();
        Snapshot m = master.snapshot(step);
        WorkerState[] workers = new WorkerState[config.workers()];
        if (step > 0) {
            sc.setJobGroup(runId + "-checkpoint", "lamina " + runId + ": checkpoint after step " + step, false);
            try {
                for (byte[] b : placed.toJavaRDD().mapPartitions(new StateTask(plan, downlink, step, owners)).collect()) {
                    WorkerState w = LaminaBytes.read(b, WorkerState.class);
                    workers[w.partition()] = w;
                }
            } finally {
                sc.clearJobGroup();
            }
            for (int p = 0; p < workers.length; p++) {
                if (workers[p] == null) {
                    LOG.warn("checkpoint after step {}: worker {}'s replica was not found; resumed from this "
                            + "checkpoint it restarts with empty memory", step, p);
                }
            }
        }
        return new Checkpoint(step, m, workers, uplinkBytes, downlinkBytes, rebuiltReplicas, audit.mismatches(),
                settings);
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
        if (testSlices == null) {
            throw new IllegalStateException("this run has no test set (its data came as prepared blocks)");
        }
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
            if (testSlices != null) {
                testSlices.unpersist(false);
            }
        }
        if (snapshots != null) {
            snapshots.close();
        }
        for (LaminaBroadcast<?> b : new LaminaBroadcast<?>[] {plan, downlink}) {
            if (b != null) {
                b.destroy();
            }
        }
        if (data != null) {
            data.release();
        }
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

    /** Where the network came from: {@code built-in lenet}, {@code network /x/model.zip (resumed at ...)}. */
    public String modelDescription() {
        return modelName;
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
