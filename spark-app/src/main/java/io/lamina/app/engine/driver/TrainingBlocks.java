package io.lamina.app.engine.driver;

import io.lamina.app.model.ModelShape;
import org.apache.spark.api.java.JavaRDD;

/**
 * Training data already cut into one {@code DataBlock} per worker on the executors (as Lamina's
 * bytes, one element per partition, persisted), e.g. from a {@code JavaRDD<DataSet>}: what
 * {@link DistributedTrainer} trains on when the data does not come as a {@code TrainTestData}.
 * The trainer unpersists the blocks when it closes.
 *
 * @param blocks        exactly one {@code DataBlock} per partition, partition p holding block p
 * @param shape         the examples' shape and class count
 * @param smallestBlock the examples in the smallest block (it decides the steps per epoch)
 * @param examples      all training examples
 */
public record TrainingBlocks(JavaRDD<byte[]> blocks, ModelShape shape, int smallestBlock, long examples) {
}
