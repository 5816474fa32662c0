/**
 * Training data as the engine takes it ({@link io.lamina.app.data.TrainingData}): per partition a
 * {@code DataBlock} built on the executor that uses it, the test slices likewise, and the few
 * figures the driver needs (shape, classes, counts). Sources ({@link io.lamina.app.data.DataSource}):
 * in-memory data (today's path, bit for bit), IDX, CSV and LibSVM files on any Hadoop FileSystem
 * read in pieces by the executors, and a Spark {@code Dataset<Row>}. Normalisation is computed in
 * one distributed pass and stored beside the model ({@link io.lamina.app.data.Normalizer}).
 */
package io.lamina.app.data;
