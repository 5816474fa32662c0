/**
 * Text data sets, read in pieces: CSV and LibSVM lines parsed straight from bytes
 * ({@link io.lamina.datasets.text.CsvFormat}, {@link io.lamina.datasets.text.LibSvmFormat}), the
 * lines of one byte range of a file ({@link io.lamina.datasets.text.TextChunk}), and errors that
 * name the file and the line. Depends on the datasets package only: no Spark, no Hadoop.
 */
package io.lamina.datasets.text;
