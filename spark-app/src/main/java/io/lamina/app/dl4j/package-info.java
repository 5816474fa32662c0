/**
 * DL4J's own Spark training API on Lamina's engine: {@link io.lamina.app.dl4j.LaminaTrainingMaster}
 * is a {@code TrainingMaster} for {@code SparkDl4jMultiLayer} and {@code SparkComputationGraph};
 * {@link io.lamina.app.dl4j.DataSetBlocks} turns a {@code JavaRDD<DataSet>} into the engine's
 * per-worker data blocks on the executors.
 */
package io.lamina.app.dl4j;
