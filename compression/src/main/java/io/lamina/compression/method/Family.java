package io.lamina.compression.method;

/** The family of a compression method (the package its compressor lives in). */
public enum Family {
    /** No compression: dense fp32 ({@code identity}). */
    IDENTITY,
    /** Keep a subset of coordinates ({@code sparse}). */
    SPARSIFIER,
    /** Per-worker-scaled low-bit codes ({@code quant}). */
    QUANTISER,
    /** One bit per element plus scales ({@code sign}). */
    SIGN,
    /** Low-rank factors ({@code lowrank}). */
    LOW_RANK;

    /** The lower-case name used in docs and listings, e.g. {@code low-rank}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
