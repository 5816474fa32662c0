package io.lamina.compression.message;

import io.lamina.compression.Compressor;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Message;


/**
 * Base of compressors whose single-worker messages are {@link CodedMessage}s that cannot be summed
 * in code space (per-worker norms or scales). Decoding is the message's own; aggregation is
 * gathered-then-dense ({@link GatheredMessage#merge}); {@code finish} is the mean of the decoded
 * messages.
 */
public abstract class GatheringCompressor implements Compressor {

    @Override
    public void decode(Message message, float[] dst, int dstOffset) {
        if (!(message instanceof CodedMessage c)) {
            throw new IllegalArgumentException(name() + " cannot decode a "
                    + message.getClass().getSimpleName() + "; decode single-worker messages only");
        }
        c.decodeInto(dst, dstOffset);
    }

    @Override
    public Message merge(Message a, Message b) {
        return GatheredMessage.merge(a, b);
    }

    @Override
    public void finish(Message aggregate, float[] dst, int dstOffset) {
        GatheredMessage.finish(aggregate, dst, dstOffset);
    }

    /** Throws if {@code v[offset, offset + length)} holds a NaN or an infinity (scales must be finite). */
    protected final void requireFinite(float[] v, int offset, int length, EncodeContext ctx) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(name() + ": non-finite value " + v[i]
                        + " at element " + (i - offset) + " of segment " + ctx.segment()
                        + " (step " + ctx.step() + "); a scaled code cannot represent it");
            }
        }
    }
}
