/**
 * Training data: IDX readers and writers (the MNIST family) over any Hadoop FileSystem URI, the
 * embedded Fashion-MNIST subset, synthetic data, and the seeded partitioning into one flat
 * {@link io.lamina.datasets.DataBlock} per worker from which minibatches are sliced by
 * (seed, epoch, step, partition). Depends on Hadoop's client API only: no Spark, no DL4J.
 */
package io.lamina.datasets;
