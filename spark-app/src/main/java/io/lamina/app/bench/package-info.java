/**
 * {@code lamina bench}: end-to-end benchmarks that run Lamina, single-JVM DL4J and DL4J's Spark
 * training masters side by side in one process and print ratios. Depends on the engine and DL4J's
 * Spark module; nothing depends on it except the CLI. DL4J's parameter server is not on this
 * module's class path: its baseline ({@link io.lamina.app.bench.ParameterServerBaseline}) comes
 * from the bench jar (spark-bench) through {@link java.util.ServiceLoader}.
 */
package io.lamina.app.bench;
