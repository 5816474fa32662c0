package io.lamina.app.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Spark settings that suit Lamina's jobs, applied on top of whatever spark-submit or
 * spark-defaults.conf set (a value already present wins). None is required: Lamina hands Spark
 * only its own bytes ({@code LaminaBytes}), so it trains on any SparkContext, a notebook's
 * included. Kryo is merely the default serializer when none is set; Lamina's registrator
 * ({@link LaminaKryoRegistrator}) is not needed and is set only by users who want it.
 */
public final class SparkContexts {

    private SparkContexts() {
    }

    /** Lamina's settings on {@code conf}; {@code defaultMaster} is used only if no master is set. */
    public static SparkConf configure(SparkConf conf, String defaultMaster, String appName) {
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.master", defaultMaster);
        conf.setIfMissing("spark.app.name", appName);
        conf.setIfMissing("spark.kryoserializer.buffer.max", "1g"); // a dense LeNet gradient's bytes in one record
        // Task results above this size detour through the BlockManager (~5 ms per step for a
        // dense LeNet gradient); dense messages must go direct. Must stay below rpc.message.maxSize.
        conf.setIfMissing("spark.task.maxDirectResultSize", "100m");
        // The driver's host and bind address, and the UI, are the user's and spark-submit's: on a
        // cluster executors must reach the driver. The local scripts and the tests keep Spark on
        // loopback with SPARK_LOCAL_IP=127.0.0.1 (the driver and the UI bind to it).
        conf.setIfMissing("spark.ui.showConsoleProgress", "false"); // Lamina prints its own progress
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        return conf;
    }

    /**
     * A context for {@code master} (used when not launched by spark-submit, e.g. tests).
     *
     * @throws SparkStartException if the cluster refused the application or never answered
     */
    public static JavaSparkContext create(String defaultMaster, String appName) {
        JavaSparkContext sc = new JavaSparkContext(configure(new SparkConf(), defaultMaster, appName));
        requireStarted(sc);
        return sc;
    }

    /**
     * A standalone master that refuses the application (with {@code spark.authenticate}, when the
     * application lacks the cluster's secret or has another) or never answers does not make the
     * SparkContext's constructor fail: after three registration attempts 20 s apart Spark gives up,
     * returns the context without an application id from the master and stops it in another
     * thread, so the first job would fail with "Cannot call methods on a stopped SparkContext".
     * Spark's log says why each attempt failed; this says what it means, in one line.
     */
    static void requireStarted(JavaSparkContext sc) {
        String master = sc.master();
        // Without a master's answer the id stays the scheduler backend's fallback, "spark-application-<ms>"
        // (a standalone master's ids are "app-<date>-<n>"): unlike isStopped(), this does not race that thread.
        boolean unregistered = master.startsWith("spark://") && sc.sc().applicationId().startsWith("spark-application-");
        if (unregistered || sc.sc().isStopped()) {
            sc.stop();
            throw new SparkStartException("the Spark master " + master + " did not accept the application: it refused"
                    + " it (a cluster with spark.authenticate=true refuses an application without its"
                    + " spark.authenticate.secret or with another one) or did not answer; Spark's log above says why");
        }
    }
}
