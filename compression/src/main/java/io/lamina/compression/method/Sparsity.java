package io.lamina.compression.method;

/**
 * How a compressor spec treats the coordinates it keeps, where error feedback and the optimizer's
 * placement care ({@link Method#sparsity(io.lamina.compression.CompressorSpec)}).
 */
public enum Sparsity {
    /** Not a sparsifier (identity, quantisers, sign, low rank). */
    NONE,
    /** Keeps some coordinates as they are and drops the rest: biased, error feedback delivers the rest later. */
    BIASED,
    /**
     * Keeps k of d coordinates scaled by d/k so that E[C(x)] = x. Error feedback would leave
     * e(1 - d/k) in a kept coordinate's residual (-99e at 1%), which grows without bound.
     */
    SCALED
}
