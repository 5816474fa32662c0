package io.lamina.app.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Training data as the engine uses it, once a {@link DataSource} is open. The RDDs hold Lamina's
 * bytes ({@code LaminaBytes}), one element per partition, and are built on the executors: the
 * driver never holds the training set (except for in-memory data, which it already has).
 */
public interface TrainingData {
    /** Shape, classes and counts, for the model's input and the steps per epoch. */
    DataInfo info();

    /**
     * Per partition {@code p} of {@code workers}, its {@code DataBlock} (partition p, seed
     * {@code seed}): a function of (data, workers, seed, p) only, so reruns get the same bits.
     * Not cached: the caller persists it.
     */
    JavaRDD<byte[]> trainBlocks(JavaSparkContext sc, int workers, long seed);

    /** Per partition, its slice of the test set ({@code LabeledData}, stored order; may be empty). */
    JavaRDD<byte[]> testSlices(JavaSparkContext sc, int workers);

    /** The transform applied to every example (train and test), to be stored with the model. */
    Normalizer normalizer();

    /** Frees what the data holds on the cluster (broadcasts). */
    void release();
}
