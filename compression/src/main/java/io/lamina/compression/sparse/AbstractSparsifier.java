package io.lamina.compression.sparse;

import io.lamina.compression.Compressor;
import io.lamina.compression.Message;

/**
 * Decoding, merging and finishing shared by the sparsifiers whose messages are
 * {@link io.lamina.compression.sparse.SparseMessage}s (or dense, once a merge made them so):
 * all of it is {@link SparseSum}.
 */
abstract class AbstractSparsifier implements Compressor {

    @Override
    public void decode(Message message, float[] dst, int dstOffset) {
        SparseSum.decode(message, dst, dstOffset);
    }

    @Override
    public Message merge(Message a, Message b) {
        return SparseSum.merge(a, b);
    }

    @Override
    public void finish(Message aggregate, float[] dst, int dstOffset) {
        SparseSum.finish(aggregate, dst, dstOffset);
    }
}
