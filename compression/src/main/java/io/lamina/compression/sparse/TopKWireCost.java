package io.lamina.compression.sparse;

import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.ValuePrecision;

/**
 * What a one-worker {@link SparseMessage} of {@code k} entries of a segment of {@code L} elements
 * costs on the wire ({@link SparseMessageSerializer}), as a function of k alone, in units of
 * 1/{@value #UNITS_PER_BYTE} byte so that it is an integer:
 * <pre>
 *   bytes(0) = varint(L) + 3                                  exactly (the empty message)
 *   bytes(k) = bytes(0) + open + k * entry          for k >= 1, an upper bound:
 *   entry    = 1024 v + 128 W + 6                   v value bytes, W = bits of L - 1 (the widest gap)
 *   open     = 1024 (varint(L) - 1 + varint(Pmax)) + 128 * 13,   Pmax = ceil((6 ceil(L/128) + L W) / 8)
 * </pre>
 * The serializer's size is {@code varint(L) + varint(1) + varint(k) + 1 + k v + min(varint gaps,
 * packed gaps)}. It depends on where the k entries are (the gaps), not only on k, so no function of
 * k is exact; this one is the least linear bound the packed coding allows: its stream is
 * {@code 6 ceil(k/128) + sum_blocks n_b w_b <= 6 (k/128 + 1) + k W} bits (every gap is below 2^W),
 * {@code P <= bits/8 + 7/8} bytes with {@code varint(P) <= varint(Pmax)}, and
 * {@code varint(k) <= varint(L)}; times 1024 that is the formula above. A message of k entries never
 * takes more than {@code bytes(k) / 1024}; at 1% density the indices really take ~1.2 bytes each
 * against W / 8 charged (2.1 bytes for a layer of 300,000), which is the price of a guarantee that
 * does not depend on the gradient.
 */
final class TopKWireCost {

    static final long UNITS_PER_BYTE = 1024;

    private final long empty;
    private final long open;
    private final long entry;

    TopKWireCost(int length, ValuePrecision values) {
        if (length < 1) {
            throw new IllegalArgumentException("segment length must be >= 1, got " + length);
        }
        int w = SparseIndexCodec.width(length - 1);
        long pmax = (6L * ((length + 127L) / 128) + (long) length * w + 7) / 8;
        this.empty = UNITS_PER_BYTE * (WireLimits.varIntSize(length) + 3);
        this.open = UNITS_PER_BYTE * (WireLimits.varIntSize(length) - 1 + varLongSize(pmax)) + 128L * 13;
        this.entry = UNITS_PER_BYTE * values.bytes() + 128L * w + 6;
    }

    /** Units of the empty message: what the segment costs whatever is sent. */
    long empty() {
        return empty;
    }

    /** Units charged once, with the first entry. */
    long open() {
        return open;
    }

    /** Units per entry. */
    long entry() {
        return entry;
    }

    /** The bound on a message of {@code k} entries, in units. */
    long units(int k) {
        return k == 0 ? empty : empty + open + k * entry;
    }

    private static int varLongSize(long v) {
        return v < (1L << 31) ? WireLimits.varIntSize((int) v) : 5;
    }
}
