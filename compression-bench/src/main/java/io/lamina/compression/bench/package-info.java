/**
 * JMH benchmarks of the compression library (profile {@code -Pbench}): every registered method's
 * encode, decode and merge ({@code CompressorBench}, its list from the method registry), the
 * streaming-sum and bf16 lower bounds every encoder is compared with, and ND4J's native threshold
 * encoding as the outside reference. {@code RunAll} runs them and writes the Markdown tables of
 * {@code compression/BENCHMARKS.md}. Depends on the compression library and ND4J only.
 */
package io.lamina.compression.bench;
