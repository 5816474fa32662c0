package io.lamina.app.bench;

import io.lamina.app.engine.DistributedTrainer;
import io.lamina.app.engine.OptimizerSpec;
import io.lamina.app.engine.StepRecord;
import io.lamina.app.engine.TrainConfig;
import io.lamina.app.model.Dl4jNet;
import io.lamina.app.model.ModelKind;
import io.lamina.app.model.ModelShape;
import io.lamina.app.model.Models;
import io.lamina.app.spark.SparkContexts;
import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.LabeledData;
import io.lamina.datasets.TrainTestData;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 * {@code lamina bench}: end-to-end throughput, measured side by side in one process on the same
 * model, data and per-worker batch: single-JVM DL4J {@code fit} (one thread: the per-core rate;
 * the 2-worker ideal is twice it), Lamina with N workers, and DL4J's
 * {@code ParameterAveragingTrainingMaster} with averaging frequency 1. Prints samples/s, the
 * step time split into its parts and the ratios. A benchmark, not a test: absolute numbers drift
 * on shared machines, the ratios are the result.
 */
public final class BenchRunner {

    private BenchRunner() {
    }

    /** The configuration of one benchmark run. */
    public record Settings(ModelKind model, int workers, int batch, int warmupSteps, int steps) {
    }

    public static int runDefault() {
        return run(List.of(new Settings(ModelKind.LENET, 2, 64, 10, 60), new Settings(ModelKind.MLP, 2, 64, 20, 200)),
                System.out);
    }

    public static int run(List<Settings> all, PrintStream out) {
        TrainTestData data = EmbeddedData.load();
        List<String> table = new ArrayList<>();
        for (Settings s : all) {
            out.printf("== %s, %d workers x %d examples ==%n", s.model().cliName(), s.workers(), s.batch());
            double single = singleJvm(s, data.train(), out);
            Lamina lamina = lamina(s, data, out);
            double pa = parameterAveraging(s, data.train(), out);
            double ideal = single * s.workers();
            table.add(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.2f | %.0f | %.2f | %.2f | %.1f |",
                    s.model().cliName(), single, ideal, lamina.samplesPerSecond, lamina.samplesPerSecond / ideal,
                    pa, pa / ideal, lamina.samplesPerSecond / pa, lamina.medianOverheadMs));
            out.println(lamina.parts);
        }
        out.println();
        out.println("| model | single-JVM fit (1 thread) samples/s | ideal (x workers) | Lamina samples/s | Lamina / ideal"
                + " | ParameterAveraging samples/s | PA / ideal | Lamina / PA | Lamina median overhead ms |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        table.forEach(out::println);
        return 0;
    }

    private static double singleJvm(Settings s, LabeledData train, PrintStream out) {
        Dl4jNet net = Models.create(s.model(), shape(train), OptimizerSpec.parse("adam", 1e-3, 0.9, 0, "constant")
                .toUpdater(1000), 1);
        int b = s.batch();
        float[] f = new float[b * train.featureSize()];
        float[] l = new float[b * train.numClasses()];
        long start = 0;
        for (int i = 0; i < s.warmupSteps() + s.steps(); i++) {
            if (i == s.warmupSteps()) {
                start = System.nanoTime();
            }
            fill(train, (i * b) % (train.numExamples() - b), b, f, l);
            DataSet ds = new DataSet(Nd4j.createFromArray(f).reshape(b, train.featureSize()),
                    Nd4j.createFromArray(l).reshape(b, train.numClasses()));
            if (net.isGraph()) {
                ((org.deeplearning4j.nn.graph.ComputationGraph) net.model()).fit(ds);
            } else {
                ((MultiLayerNetwork) net.model()).fit(ds);
            }
        }
        double sps = (double) s.steps() * b / ((System.nanoTime() - start) / 1e9);
        out.printf("single-JVM fit: %.0f samples/s%n", sps);
        return sps;
    }

    private record Lamina(double samplesPerSecond, double medianOverheadMs, String parts) {
    }

    private static Lamina lamina(Settings s, TrainTestData data, PrintStream out) {
        JavaSparkContext sc = SparkContexts.create("local[" + s.workers() + "]", "lamina-bench");
        try {
            TrainConfig c = new TrainConfig();
            c.model = s.model();
            c.workers = s.workers();
            c.batchPerWorker = s.batch();
            c.steps = s.warmupSteps() + s.steps();
            c.checksumEvery = 0;
            DistributedTrainer t = new DistributedTrainer(sc, c, data);
            List<StepRecord> records = new ArrayList<>();
            t.addListener(records::add);
            t.start();
            for (int i = 0; i < c.steps; i++) {
                t.runStep(false);
            }
            t.close();
            List<StepRecord> measured = records.subList(s.warmupSteps(), records.size());
            double wall = measured.stream().mapToDouble(StepRecord::wallMs).sum();
            double sps = measured.stream().mapToLong(StepRecord::examples).sum() / (wall / 1000);
            double[] overhead = measured.stream().mapToDouble(StepRecord::overheadMs).sorted().toArray();
            String parts = String.format(Locale.ROOT,
                    "Lamina step (median ms): wall %.1f = slowest compute %.1f + overhead %.1f; overhead holds"
                            + " replica update %.1f, encode %.1f, driver update %.1f, Spark job + serialization %.1f",
                    median(measured, StepRecord::wallMs), median(measured, StepRecord::computeMaxMs),
                    overhead[overhead.length / 2], median(measured, StepRecord::applyMeanMs),
                    median(measured, StepRecord::encodeMeanMs), median(measured, StepRecord::driverUpdateMs),
                    median(measured, r -> r.overheadMs() - r.applyMeanMs() - r.encodeMeanMs() - r.driverUpdateMs()));
            out.printf("Lamina: %.0f samples/s%n", sps);
            return new Lamina(sps, overhead[overhead.length / 2], parts);
        } finally {
            sc.stop();
        }
    }

    private static double parameterAveraging(Settings s, LabeledData train, PrintStream out) {
        // DL4J's masters do not survive spark.kryo.registrationRequired=true: their own context.
        SparkConf conf = SparkContexts.configure(new SparkConf(), "local[" + s.workers() + "]", "dl4j-pa-bench");
        conf.set("spark.kryo.registrationRequired", "false");
        conf.set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            int b = s.batch();
            int batches = s.steps() * s.workers();
            List<DataSet> list = new ArrayList<>();
            float[] f = new float[b * train.featureSize()];
            float[] l = new float[b * train.numClasses()];
            for (int i = 0; i < batches; i++) {
                fill(train, (i * b) % (train.numExamples() - b), b, f, l);
                list.add(new DataSet(Nd4j.createFromArray(f.clone()).reshape(b, train.featureSize()),
                        Nd4j.createFromArray(l.clone()).reshape(b, train.numClasses())));
            }
            JavaRDD<DataSet> rdd = sc.parallelize(list, s.workers()).cache();
            rdd.count();
            Dl4jNet net = Models.create(s.model(), shape(train), OptimizerSpec.parse("adam", 1e-3, 0.9, 0, "constant")
                    .toUpdater(1000), 1);
            if (net.isGraph()) {
                out.println("ParameterAveraging: skipped for graphs in this bench");
                return Double.NaN;
            }
            ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(1)
                    .batchSizePerWorker(b).averagingFrequency(1).workerPrefetchNumBatches(0)
                    .rddTrainingApproach(RDDTrainingApproach.Direct).repartionData(Repartition.Never)
                    .collectTrainingStats(false).build();
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, (MultiLayerNetwork) net.model(), tm);
            spark.fit(rdd); // warm-up epoch
            long start = System.nanoTime();
            spark.fit(rdd);
            double sps = (double) batches * b / ((System.nanoTime() - start) / 1e9);
            out.printf("ParameterAveraging: %.0f samples/s%n", sps);
            return sps;
        } finally {
            sc.stop();
        }
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
