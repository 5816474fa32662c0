package io.lamina.bench;

import io.lamina.app.bench.ParameterServerBaseline;
import io.lamina.app.model.Dl4jNet;
import io.lamina.app.spark.SparkContexts;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

/**
 * DL4J's {@code SharedTrainingMaster} (asynchronous threshold-encoded updates over Aeron) on the
 * same model and minibatches, with the settings it needs here (docs/ARCHITECTURE.md, "The
 * stack"): Aeron's publication unblock timeout raised, everything on loopback, a fixed UDP port
 * for the single JVM of local mode.
 * Reports samples/s and whether the model learned (test accuracy after the epochs). Found by
 * {@code lamina bench} through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.lamina.app.bench.ParameterServerBaseline}).
 */
public final class SharedTrainingBaseline implements ParameterServerBaseline {

    /** The context of the run in progress, so that {@link #abort()} can cancel its jobs. */
    private volatile JavaSparkContext running;

    @Override
    public void abort() {
        JavaSparkContext sc = running;
        if (sc != null) {
            sc.cancelAllJobs();
        }
    }

    /**
     * @param batches minibatches of {@code batch} examples each: unlike ParameterAveraging,
     *                SharedTrainingMaster's Direct approach trains on the RDD's DataSets as they
     *                are (fed single examples, its second epoch stalled here for 10 minutes)
     */
    @Override
    public Result run(Dl4jNet net, List<DataSet> batches, DataSet test, int workers, int batch, PrintStream out) {
        System.setProperty("aeron.publication.unblock.timeout", "60000000000"); // 60 s in ns
        SparkConf conf = SparkContexts.configure(new SparkConf(), "local[" + workers + "]",
                "dl4j-shared-bench");
        conf.set("spark.kryo.registrationRequired", "false");
        conf.set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        conf.set("spark.driver.extraJavaOptions", "-Daeron.publication.unblock.timeout=60s");
        conf.set("spark.executor.extraJavaOptions", "-Daeron.publication.unblock.timeout=60s");
        JavaSparkContext sc = new JavaSparkContext(conf);
        running = sc;
        try {
            JavaRDD<DataSet> rdd = sc.parallelize(batches, workers); // DL4J's masters persist it themselves
            VoidConfiguration voidConf = VoidConfiguration.builder()
                    .unicastPort(40123 + (int) (ProcessHandle.current().pid() % 1000))
                    .controllerAddress("127.0.0.1")
                    .networkMask("127.0.0.0/8")
                    .build();
            SharedTrainingMaster tm = new SharedTrainingMaster.Builder(voidConf, batch) // examples per RDD element
                    .thresholdAlgorithm(new AdaptiveThresholdAlgorithm(1e-3))
                    .batchSizePerWorker(batch)
                    .workersPerNode(workers)
                    .rddTrainingApproach(RDDTrainingApproach.Direct)
                    .repartitionData(Repartition.Never)
                    .collectTrainingStats(false)
                    .build();
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, (MultiLayerNetwork) net.model(), tm);
            spark.fit(rdd); // warm-up epoch
            long start = System.nanoTime();
            spark.fit(rdd);
            double sps = (double) batches.size() * batch / ((System.nanoTime() - start) / 1e9);
            MultiLayerNetwork trained = spark.getNetwork();
            double acc = trained.evaluate(new org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator(test)).accuracy();
            out.printf(Locale.ROOT, "SharedTrainingMaster: %.0f samples/s, test accuracy %.2f%% after 2 epochs%n",
                    sps, 100 * acc);
            return new Result(sps, acc);
        } finally {
            running = null;
            sc.stop();
        }
    }
}
