package io.lamina.app.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Where training data comes from, before anything is read on the cluster. {@link #check} runs on
 * the driver before Spark starts and looks only at what is cheap (paths, headers, first lines);
 * {@link #open} reads what the driver needs on the cluster (counts, classes, normalisation: one
 * distributed pass) and returns the data as the engine takes it.
 */
public interface DataSource {
    /**
     * Checks what the driver alone can, with this Hadoop configuration.
     *
     * @return the number of training examples if that is known without a pass over the data
     *         (headers, memory), else -1
     * @throws io.lamina.datasets.DatasetException naming the file and what is wrong
     */
    long check(Configuration conf);

    /**
     * Reads what the driver needs on {@code sc}'s cluster, with {@code sc.hadoopConfiguration()}.
     *
     * @throws io.lamina.datasets.DatasetException for bad data, naming the file and the line
     */
    TrainingData open(JavaSparkContext sc);

    /** How summary.json names the data. */
    String describe();
}
