package io.lamina.compression.identity;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.FixedSpec;
import io.lamina.compression.Message;
import io.lamina.compression.SpecParams;
import io.lamina.compression.message.DenseMessage;

/**
 * No compression, the baseline every other method is measured against (plain synchronous
 * data-parallel SGD):
 * <pre>  C(x) = x,   update = (1 / W) sum_w x_w</pre>
 * Wire ({@link DenseMessage}): varint length, varint workers, then {@code length} fp32 values
 * (4 bytes each, big-endian). Aggregation sums element-wise in fp32; {@code finish} divides by
 * the number of workers. Spec {@code none}, no parameters.
 */
public final class NoneCompressor implements Compressor {

    /** The spec of {@code none}; it has no parameters. */
    public static final CompressorSpec SPEC = FixedSpec.of("none", segments -> new NoneCompressor());

    /** Parses {@code none}, which takes no parameters. */
    public static CompressorSpec parse(SpecParams p) {
        p.allowOnly(java.util.Set.of());
        return SPEC;
    }

    @Override
    public String name() {
        return "none";
    }

    @Override
    public Message encode(float[] values, int offset, int length, EncodeContext ctx) {
        float[] copy = new float[length];
        System.arraycopy(values, offset, copy, 0, length);
        return new DenseMessage(copy, 1);
    }

    @Override
    public void decode(Message message, float[] dst, int dstOffset) {
        float[] v = ((DenseMessage) message).values();
        System.arraycopy(v, 0, dst, dstOffset, v.length);
    }

    @Override
    public Message merge(Message a, Message b) {
        return DenseMessage.sum((DenseMessage) a, (DenseMessage) b);
    }

    @Override
    public void finish(Message aggregate, float[] dst, int dstOffset) {
        DenseMessage m = (DenseMessage) aggregate;
        float[] v = m.values();
        int n = m.workers();
        for (int i = 0; i < v.length; i++) {
            dst[dstOffset + i] = v[i] / n;
        }
    }
}
