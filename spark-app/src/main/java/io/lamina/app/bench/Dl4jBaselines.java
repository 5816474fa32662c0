package io.lamina.app.bench;

import io.lamina.app.config.TrainConfig;
import io.lamina.app.model.Dl4jNet;
import io.lamina.app.model.ModelShape;
import io.lamina.app.model.Models;
import io.lamina.app.spark.SparkContexts;
import io.lamina.datasets.LabeledData;
import io.lamina.datasets.TrainTestData;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The bench's DL4J baselines on the same model, data and per-worker batch as the Lamina runs:
 * single-JVM {@code fit} (one thread, and one per worker at once), DL4J's
 * {@code ParameterAveragingTrainingMaster} with averaging frequency 1 in its own SparkContext, and
 * DL4J's {@code SharedTrainingMaster} through {@link ParameterServerBaseline}.
 */
final class Dl4jBaselines {

    /** At most this long for DL4J's SharedTrainingMaster baseline (warm-up epoch + measured epoch). */
    static final long SHARED_TRAINING_LIMIT_SECONDS = 600;

    private final BenchRunner.Settings s;
    private final TrainTestData data;
    private final PrintStream out;

    Dl4jBaselines(BenchRunner.Settings settings, TrainTestData data, PrintStream out) {
        this.s = settings;
        this.data = data;
        this.out = out;
    }

    /**
     * DL4J {@code fit} on one thread per network, {@code threads} networks at once in this JVM
     * (different data offsets): with 1 the per-core rate, with N what N cores really deliver for
     * N independent single-threaded trainings (on SMT siblings or a throttled VM, far less than N x).
     */
    double fits(int threads) {
        LabeledData train = data.train();
        int b = s.batch();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Double>> results = new ArrayList<>();
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
            for (Future<Double> r : results) {
                total += r.get();
            }
            out.printf(Locale.ROOT, "DL4J fit, %d thread(s), one network each: %.0f samples/s in total%n", threads, total);
            return total;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("single-JVM baseline failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** ParameterAveraging over two epochs (the first a warm-up), or null for a ComputationGraph model. */
    Baselines.ParameterAveraging parameterAveraging() {
        // DL4J's masters do not survive spark.kryo.registrationRequired=true: their own context.
        SparkConf conf = SparkContexts.configure(new SparkConf(), "local[" + s.workers() + "]", "dl4j-pa-bench");
        conf.set("spark.kryo.registrationRequired", "false");
        conf.set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        JavaSparkContext sc = new JavaSparkContext(conf);
        AtomicLong resultBytes = new AtomicLong();
        sc.sc().addSparkListener(new ResultSizeListener(resultBytes));
        try {
            Dl4jNet net = Models.create(s.model(), shape(data.train()), adam(), 1);
            if (net.isGraph()) {
                out.println("ParameterAveraging: this bench drives it for MultiLayerNetwork models only");
                return null;
            }
            int b = s.batch();
            int batches = s.steps() * s.workers();
            JavaRDD<DataSet> rdd = sc.parallelize(dl4jExamples(), s.workers()); // DL4J's masters persist it themselves
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
            return new Baselines.ParameterAveraging(sps, up, down, acc);
        } finally {
            sc.stop();
        }
    }

    /** SharedTrainingMaster's result, or null if it does not apply, failed or ran out of time (said in a line). */
    ParameterServerBaseline.Result sharedTraining(ParameterServerBaseline baseline) {
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
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "shared-training-baseline");
            t.setDaemon(true);
            return t;
        });
        Future<ParameterServerBaseline.Result> result = runner.submit(
                () -> baseline.run(net, batches, test, s.workers(), s.batch(), out));
        runner.shutdown();
        try {
            return result.get(SHARED_TRAINING_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            out.printf(Locale.ROOT, "SharedTrainingMaster: no result within %d s (two epochs of %d examples); its jobs"
                    + " were cancelled and it is left out of the table%n", SHARED_TRAINING_LIMIT_SECONDS, examples.size());
            baseline.abort();
            return null;
        } catch (ExecutionException e) {
            out.println("SharedTrainingMaster failed here: " + e.getCause());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
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

    /** The default optimizer of {@code lamina train}, for the DL4J baselines. */
    static org.nd4j.linalg.learning.config.IUpdater adam() {
        return TrainConfig.defaults().optimizer().toUpdater(1000);
    }

    static ModelShape shape(LabeledData d) {
        return new ModelShape(d.shape().channels(), d.shape().height(), d.shape().width(), d.numClasses());
    }

    private static void fill(LabeledData d, int from, int b, float[] f, float[] l) {
        System.arraycopy(d.features(), from * d.featureSize(), f, 0, b * d.featureSize());
        Arrays.fill(l, 0);
        for (int i = 0; i < b; i++) {
            l[i * d.numClasses() + d.label(from + i)] = 1;
        }
    }
}
