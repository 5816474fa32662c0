/**
 * {@code lamina bench}: end-to-end benchmarks that run Lamina, single-JVM DL4J and DL4J's Spark
 * training masters side by side in one process and print ratios. Depends on the engine and DL4J's
 * Spark modules; nothing depends on it except the CLI.
 */
package io.lamina.app.bench;
