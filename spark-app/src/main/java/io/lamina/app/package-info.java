/**
 * The application module: {@link io.lamina.app.TrainingJob} runs one training from a
 * configuration and writes its outputs; the sub-packages hold the engine, the interfaces (CLI,
 * Java API, experiments, bench) and the model and Spark glue.
 */
package io.lamina.app;
