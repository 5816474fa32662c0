/**
 * Sparsifiers (Top-k, Random-k, threshold, adaptive, adaptive-tau, DGC) with their messages (sparse, shared-index),
 * serializers, the index codec and the sparse union.
 *
 * <p>May depend on the root API, {@code bits}, {@code simd} and {@code message}.
 */
package io.lamina.compression.sparse;
