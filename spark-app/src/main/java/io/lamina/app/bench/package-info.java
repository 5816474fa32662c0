/**
 * {@code lamina bench}: end-to-end benchmarks that run Spark's own floor for a step-shaped job,
 * Lamina, single-JVM DL4J and DL4J's Spark training masters side by side in one process and print
 * ratios (and, with {@code --output}, write them to {@code bench.json}). One job per class:
 * {@link io.lamina.app.bench.BenchRunner} orchestrates, {@code SparkFloor} measures the floors,
 * {@code LaminaRuns} the Lamina runs, {@code Dl4jBaselines} the DL4J ones, {@code BenchReport}
 * prints the tables and {@code BenchJson} writes the file. Depends on the engine and DL4J's Spark
 * module; nothing depends on it except the CLI. DL4J's parameter server is not on this module's
 * class path: its baseline ({@link io.lamina.app.bench.ParameterServerBaseline}) comes from the
 * bench jar (spark-bench) through {@link java.util.ServiceLoader}.
 */
package io.lamina.app.bench;
