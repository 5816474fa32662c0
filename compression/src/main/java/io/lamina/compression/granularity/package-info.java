/**
 * Granularity: which segments a compressor sees (layer-wise, entire model, bucketed) and its parser.
 *
 * <p>May depend on the root API only.
 */
package io.lamina.compression.granularity;
