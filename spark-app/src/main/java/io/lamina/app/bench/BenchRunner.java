package io.lamina.app.bench;

import io.lamina.app.config.OptimizerOn;
import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.app.engine.driver.StepRecord;
import io.lamina.app.model.Dl4jNet;
import io.lamina.app.model.ModelKind;
import io.lamina.app.model.ModelShape;
import io.lamina.app.model.Models;
import io.lamina.app.spark.SparkContexts;
import io.lamina.compression.method.Compatibility;
import io.lamina.compression.method.Compressors;
import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.LabeledData;
import io.lamina.datasets.TrainTestData;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code lamina bench}: end-to-end throughput, measured side by side in one process on the same
 * model, data and per-worker batch: single-JVM DL4J {@code fit} on one thread (the per-core
 * rate; the N-worker ideal is N times it), Lamina with N workers, DL4J's
 * {@code ParameterAveragingTrainingMaster} with averaging frequency 1, DL4J's
 * {@code SharedTrainingMaster} if asked for and the bench jar provides it
 * ({@link ParameterServerBaseline}), and Lamina with every requested compressor and granularity.
 * Prints Markdown tables: samples/s, the step time split into its parts, bytes per step both ways,
 * and the ratios. A benchmark, not a test: absolute
 * numbers drift on shared machines; the ratios, measured in one run, are the result.
 */
public final class BenchRunner {

    private final Settings s;
    private final PrintStream out;
    private final TrainTestData data = EmbeddedData.load();

    /**
     * What to run.
     *
     * @param train the training settings every Lamina run starts from (model, workers, batch, optimizer placement)
     * @param steps measured steps per run, after {@code warmupSteps}
     */
    public record Settings(TrainConfig train, int warmupSteps, int steps, List<String> compressors,
            List<String> granularities, boolean baselines, boolean sharedTraining) {

        ModelKind model() {
            return train.model();
        }

        int workers() {
            return train.workers();
        }

        int batch() {
            return train.batchPerWorker();
        }

        OptimizerOn optimizerOn() {
            return train.optimizerOn();
        }
    }

    /** One Lamina run's figures. */
    record LaminaRun(String compressor, String granularity, double samplesPerSecond, double medianWallMs,
            double medianComputeMs, double medianOverheadMs, double applyMs, double encodeMs, double driverMs,
            double uplinkPerStep, double downlinkPerStep, double sparkResultBytesPerStep) {
    }

    /** At most this long for DL4J's SharedTrainingMaster baseline (warm-up epoch + measured epoch). */
    static final long SHARED_TRAINING_LIMIT_SECONDS = 600;

    public BenchRunner(Settings settings, PrintStream out) {
        this.s = settings;
        this.out = out;
    }

    public int run() {
        out.printf("# lamina bench: %s, %d workers x %d examples per step, %d measured steps after %d warm-up,"
                + " --optimizer-on %s; compression kernels: %s%n%n", s.model().cliName(), s.workers(), s.batch(),
                s.steps(), s.warmupSteps(), s.optimizerOn().cliName(), io.lamina.compression.simd.Simd.describe());
        // Looked up first, so that a missing one is said before the long runs.
        ParameterServerBaseline sharedTraining = s.baselines() && s.sharedTraining() ? parameterServerBaseline(out) : null;
        double single = s.baselines() ? singleJvm(1) : Double.NaN;
        double parallel = s.baselines() ? singleJvm(s.workers()) : Double.NaN;
        List<LaminaRun> runs = new ArrayList<>();
        JavaSparkContext sc = SparkContexts.create("local[" + s.workers() + "]", "lamina-bench");
        AtomicLong resultBytes = new AtomicLong();
        sc.sc().addSparkListener(new ResultSizeListener(resultBytes));
        try {
            runs.add(lamina(sc, "none", "layer", resultBytes)); // the baseline comes first
            for (String c : s.compressors()) {
                for (String g : s.granularities()) {
                    if (!(c.equals("none") && g.equals("layer")) && accepted(c)) {
                        runs.add(lamina(sc, c, g, resultBytes));
                    }
                }
            }
        } finally {
            sc.stop();
        }
        double[] pa = s.baselines() ? parameterAveraging() : new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        ParameterServerBaseline.Result shared = sharedTraining == null ? null : sharedTraining(sharedTraining);
        printEngineTable(single, parallel, runs.get(0), pa, shared);
        printCompressionTable(runs, pa);
        return 0;
    }

    /** The bench jar's parameter-server baseline; without it, says in one line what to use instead, and null. */
    static ParameterServerBaseline parameterServerBaseline(PrintStream out) {
        Optional<ParameterServerBaseline> found = ParameterServerBaseline.find();
        if (found.isEmpty()) {
            out.println(ParameterServerBaseline.MISSING);
        }
        return found.orElse(null);
    }

    private void printEngineTable(double single, double parallel, LaminaRun none, double[] pa,
            ParameterServerBaseline.Result shared) {
        double ideal = single * s.workers();
        out.println();
        out.println("## Engine (compressor none) vs single-JVM DL4J and ParameterAveraging");
        out.println();
        out.println("| | samples/s | / ideal | / ParameterAveraging | / machine's parallel capacity |");
        out.println("|---|---|---|---|---|");
        out.printf(Locale.ROOT, "| single-JVM DL4J fit, 1 thread | %.0f | %.2f (x%d = ideal %.0f) | | |%n", single,
                1.0 / s.workers(), s.workers(), ideal);
        out.printf(Locale.ROOT, "| %d concurrent single-thread fits (what %d cores really give) | %.0f | %.2f | | 1.00 |%n",
                s.workers(), s.workers(), parallel, parallel / ideal);
        out.printf(Locale.ROOT, "| ParameterAveraging, freq 1 (test acc %.1f%%) | %.0f | %.2f | 1.00 | %.2f |%n",
                100 * pa[3], pa[0], pa[0] / ideal, pa[0] / parallel);
        if (shared != null) {
            out.printf(Locale.ROOT, "| SharedTrainingMaster (threshold encoding; test acc %.1f%%) | %.0f | %.2f | %.2f | %.2f |%n",
                    100 * shared.testAccuracy(), shared.samplesPerSecond(), shared.samplesPerSecond() / ideal,
                    shared.samplesPerSecond() / pa[0], shared.samplesPerSecond() / parallel);
        }
        out.printf(Locale.ROOT, "| Lamina | %.0f | %.2f | %.2f | %.2f |%n", none.samplesPerSecond(),
                none.samplesPerSecond() / ideal, none.samplesPerSecond() / pa[0], none.samplesPerSecond() / parallel);
        out.println();
        out.printf(Locale.ROOT, "Lamina step, medians in ms: wall %.1f = slowest task compute %.1f + overhead %.1f. "
                + "The overhead holds the replica's update %.1f, the encoding %.1f, the driver's part (decode, broadcast) %.1f and "
                + "Spark's job, result serialization and scheduling %.1f.%n", none.medianWallMs(),
                none.medianComputeMs(), none.medianOverheadMs(), none.applyMs(), none.encodeMs(), none.driverMs(),
                none.medianOverheadMs() - none.applyMs() - none.encodeMs() - none.driverMs());
    }

    private void printCompressionTable(List<LaminaRun> runs, double[] pa) {
        LaminaRun none = runs.get(0);
        double paTotal = pa[1] + pa[2];
        out.println();
        out.println("## Compression (same run; ratios to `none`)");
        out.println();
        out.printf(Locale.ROOT, "ParameterAveraging bytes per step: uplink %.0f (Spark task results), downlink %.0f "
                + "(parameter + updater broadcast x workers).%n%n", pa[1], pa[2]);
        out.println("| compressor | granularity | samples/s | vs none | uplink B/step | downlink B/step | uplink vs none"
                + " | total vs ParameterAveraging | median overhead ms |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (LaminaRun r : runs) {
            double total = r.uplinkPerStep() + r.downlinkPerStep();
            out.printf(Locale.ROOT, "| %s | %s | %.0f | %.2fx | %.0f | %.0f | %.1fx fewer | %.1fx fewer | %.1f |%n",
                    r.compressor(), r.granularity(), r.samplesPerSecond(), r.samplesPerSecond() / none.samplesPerSecond(),
                    r.uplinkPerStep(), r.downlinkPerStep(), none.uplinkPerStep() / r.uplinkPerStep(), paTotal / total,
                    r.medianOverheadMs());
        }
    }

    /** Whether the compressor goes with the bench's settings (signsgd not with --optimizer-on workers); says why not. */
    private boolean accepted(String compressor) {
        try {
            benchConfig(compressor, "layer").validate();
            return true;
        } catch (IllegalArgumentException e) {
            out.printf("Lamina %s: skipped: %s%n", compressor, e.getMessage());
            return false;
        }
    }

    private TrainConfig benchConfig(String compressor, String granularity) {
        return s.train().with(Map.of(TrainSetting.STEPS, s.warmupSteps() + s.steps(),
                TrainSetting.CHECKSUM_EVERY, 0, TrainSetting.COMPRESSOR, compressor,
                TrainSetting.MEMORY, memoryFor(compressor), TrainSetting.GRANULARITY, granularity));
    }

    private static String memoryFor(String compressor) {
        return Compatibility.defaultMemory(Compressors.parse(compressor)).spec();
    }

    private LaminaRun lamina(JavaSparkContext sc, String compressor, String granularity, AtomicLong resultBytes) {
        TrainConfig c = benchConfig(compressor, granularity);
        DistributedTrainer t = new DistributedTrainer(sc, c, data);
        List<StepRecord> records = new ArrayList<>();
        t.addListener(records::add);
        long sparkBytes = 0;
        try {
            t.start();
            for (int i = 0; i < c.steps(); i++) {
                if (i == s.warmupSteps()) {
                    resultBytes.set(0);
                }
                t.runStep(false);
            }
            sparkBytes = resultBytes.get();
        } finally {
            t.close();
        }
        List<StepRecord> m = records.subList(s.warmupSteps(), records.size());
        double wall = m.stream().mapToDouble(StepRecord::wallMs).sum();
        double sps = m.stream().mapToLong(StepRecord::examples).sum() / (wall / 1000);
        LaminaRun r = new LaminaRun(compressor, granularity, sps, median(m, StepRecord::wallMs),
                median(m, StepRecord::computeMaxMs), median(m, StepRecord::overheadMs), median(m, StepRecord::applyMeanMs),
                median(m, StepRecord::encodeMeanMs), median(m, StepRecord::driverUpdateMs),
                m.stream().mapToLong(StepRecord::uplinkBytes).average().orElse(0),
                m.stream().mapToLong(StepRecord::downlinkBytes).average().orElse(0), (double) sparkBytes / m.size());
        out.printf(Locale.ROOT, "Lamina %s / %s (memory %s, optimizer on %s): %.0f samples/s, up %.0f B/step (Spark task results %.0f),"
                + " down %.0f B/step%n", compressor, granularity, c.memory(), c.placement().describe(), sps, r.uplinkPerStep(),
                r.sparkResultBytesPerStep(), r.downlinkPerStep());
        return r;
    }

    /**
     * DL4J {@code fit} on one thread per network, {@code threads} networks at once in this JVM
     * (different data offsets): with 1 the per-core rate, with N what N cores really deliver for
     * N independent single-threaded trainings (on SMT siblings or a throttled VM, far less than N x).
     */
    private double singleJvm(int threads) {
        LabeledData train = data.train();
        int b = s.batch();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Double>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 997;
                results.add(pool.submit(() -> {
                    Dl4jNet net = Models.create(s.model(), shape(train), adam(), 1);
                    float[] f = new float[b * train.featureSize()];
                    float[] l = new float[b * train.numClasses()];
                    long start = 0;
                    for (int i = 0; i < s.warmupSteps() + s.steps(); i++) {
                        if (i == s.warmupSteps()) {
                            start = System.nanoTime();
                        }
                        fill(train, (offset + i * b) % (train.numExamples() - b), b, f, l);
                        DataSet ds = new DataSet(Nd4j.createFromArray(f).reshape(b, train.featureSize()),
                                Nd4j.createFromArray(l).reshape(b, train.numClasses()));
                        if (net.isGraph()) {
                            ((org.deeplearning4j.nn.graph.ComputationGraph) net.model()).fit(ds);
                        } else {
                            ((MultiLayerNetwork) net.model()).fit(ds);
                        }
                    }
                    return (double) s.steps() * b / ((System.nanoTime() - start) / 1e9);
                }));
            }
            double total = 0;
            for (java.util.concurrent.Future<Double> r : results) {
                total += r.get();
            }
            out.printf(Locale.ROOT, "DL4J fit, %d thread(s), one network each: %.0f samples/s in total%n", threads, total);
            return total;
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("single-JVM baseline failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The bench's examples as single-example DL4J DataSets, the form DL4J's training masters
     * expect: they count RDD elements, and cut them into minibatches of {@code batchSizePerWorker}
     * examples themselves (pre-batched DataSets would make each "minibatch" 64 batches).
     */
    private List<DataSet> dl4jExamples() {
        LabeledData train = data.train();
        int f = train.featureSize();
        int k = train.numClasses();
        List<DataSet> list = new ArrayList<>();
        for (int i = 0; i < s.steps() * s.workers() * s.batch(); i++) {
            int e = i % train.numExamples();
            float[] x = new float[f];
            System.arraycopy(train.features(), e * f, x, 0, f);
            float[] y = new float[k];
            y[train.label(e)] = 1;
            list.add(new DataSet(Nd4j.createFromArray(x).reshape(1, f), Nd4j.createFromArray(y).reshape(1, k)));
        }
        return list;
    }

    private DataSet testSet() {
        LabeledData test = data.test();
        float[] l = new float[test.numExamples() * test.numClasses()];
        fill(test, 0, test.numExamples(), new float[test.numExamples() * test.featureSize()], l);
        return new DataSet(Nd4j.createFromArray(test.features().clone()).reshape(test.numExamples(), test.featureSize()),
                Nd4j.createFromArray(l).reshape(test.numExamples(), test.numClasses()));
    }

    private ParameterServerBaseline.Result sharedTraining(ParameterServerBaseline baseline) {
        Dl4jNet net = Models.create(s.model(), shape(data.train()), adam(), 1);
        if (net.isGraph()) {
            return null;
        }
        List<DataSet> examples = dl4jExamples();
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i + s.batch() <= examples.size(); i += s.batch()) {
            batches.add(DataSet.merge(examples.subList(i, i + s.batch())));
        }
        DataSet test = testSet();
        // DL4J's asynchronous master can stall (Aeron, its trainer threads); the bench must still end.
        java.util.concurrent.ExecutorService runner = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "shared-training-baseline");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.Future<ParameterServerBaseline.Result> result = runner.submit(
                () -> baseline.run(net, batches, test, s.workers(), s.batch(), out));
        runner.shutdown();
        try {
            return result.get(SHARED_TRAINING_LIMIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            out.printf(Locale.ROOT, "SharedTrainingMaster: no result within %d s (two epochs of %d examples); its jobs"
                    + " were cancelled and it is left out of the table%n", SHARED_TRAINING_LIMIT_SECONDS, examples.size());
            baseline.abort();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            out.println("SharedTrainingMaster failed here: " + e.getCause());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** samples/s, uplink bytes/step (measured: Spark task result sizes), downlink bytes/step, test accuracy. */
    private double[] parameterAveraging() {
        // DL4J's masters do not survive spark.kryo.registrationRequired=true: their own context.
        SparkConf conf = SparkContexts.configure(new SparkConf(), "local[" + s.workers() + "]", "dl4j-pa-bench");
        conf.set("spark.kryo.registrationRequired", "false");
        conf.set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        JavaSparkContext sc = new JavaSparkContext(conf);
        AtomicLong resultBytes = new AtomicLong();
        sc.sc().addSparkListener(new ResultSizeListener(resultBytes));
        try {
            LabeledData train = data.train();
            Dl4jNet net = Models.create(s.model(), shape(train), adam(), 1);
            if (net.isGraph()) {
                out.println("ParameterAveraging: this bench drives it for MultiLayerNetwork models only");
                return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
            }
            int b = s.batch();
            int batches = s.steps() * s.workers();
            List<DataSet> list = dl4jExamples();
            JavaRDD<DataSet> rdd = sc.parallelize(list, s.workers()); // DL4J's masters persist it themselves
            ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(1)
                    .batchSizePerWorker(b).averagingFrequency(1).workerPrefetchNumBatches(0)
                    .rddTrainingApproach(RDDTrainingApproach.Direct).repartionData(Repartition.Never)
                    .collectTrainingStats(false).build();
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, (MultiLayerNetwork) net.model(), tm);
            spark.fit(rdd); // warm-up epoch
            resultBytes.set(0);
            long start = System.nanoTime();
            spark.fit(rdd);
            double sps = (double) batches * b / ((System.nanoTime() - start) / 1e9);
            double up = (double) resultBytes.get() / s.steps();
            // Each averaging round broadcasts the parameters and the updater state to every worker.
            long paramsBytes = 4L * net.numParams() + 4L * net.updaterState().length;
            double down = (double) paramsBytes * s.workers();
            double acc = spark.getNetwork().evaluate(
                    new org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator(testSet())).accuracy();
            out.printf(Locale.ROOT, "ParameterAveraging: %.0f samples/s, up %.0f B/step, down %.0f B/step, test accuracy"
                    + " %.2f%% after 2 epochs%n", sps, up, down, 100 * acc);
            return new double[] {sps, up, down, acc};
        } finally {
            sc.stop();
        }
    }

    /** Sums the serialized sizes of task results Spark receives (what crosses from executors). */
    private static final class ResultSizeListener extends SparkListener {
        private final AtomicLong total;

        ResultSizeListener(AtomicLong total) {
            this.total = total;
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.taskMetrics() != null) {
                total.addAndGet(end.taskMetrics().resultSize());
            }
        }
    }

    /** The default optimizer of {@code lamina train}, for the DL4J baselines. */
    private static org.nd4j.linalg.learning.config.IUpdater adam() {
        return TrainConfig.defaults().optimizer().toUpdater(1000);
    }

    private static ModelShape shape(LabeledData d) {
        return new ModelShape(d.shape().channels(), d.shape().height(), d.shape().width(), d.numClasses());
    }

    private static void fill(LabeledData d, int from, int b, float[] f, float[] l) {
        System.arraycopy(d.features(), from * d.featureSize(), f, 0, b * d.featureSize());
        Arrays.fill(l, 0);
        for (int i = 0; i < b; i++) {
            l[i * d.numClasses() + d.label(from + i)] = 1;
        }
    }

    private static double median(List<StepRecord> rs, java.util.function.ToDoubleFunction<StepRecord> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        return v[v.length / 2];
    }
}
