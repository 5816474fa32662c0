package io.lamina.compression.sparse;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.SpecParams;
import io.lamina.compression.message.DenseMessage;

/**
 * The "small segments go dense" rule as a decorator: segments with fewer than {@code n} elements
 * are sent as plain fp32 {@link DenseMessage}s, larger ones by the wrapped compressor. Small
 * tensors (biases, norms) gain little from compression but pay index or scale overheads and
 * lose accuracy; this rule is the usual fix.
 *
 * <p>Spec syntax: the option {@code dense_below=<n>} on a compressor spec, e.g.
 * {@code topk:0.01,dense_below=1024}. Every sparsifier accepts it; any other compressor spec can
 * be wrapped with {@link #wrap(CompressorSpec, int)}. A segment's length is fixed, so one
 * segment's messages are either all dense (merged here by summing) or all the wrapped
 * compressor's (merged by it, which must accept the dense messages its own merge produces).
 */
public final class DenseBelow implements Compressor {

    private final Compressor inner;
    private final int n;

    private DenseBelow(Compressor inner, int n) {
        this.inner = inner;
        this.n = n;
    }

    /** The wrapped spec if {@code dense_below} is present in {@code p}, else {@code inner}. */
    public static CompressorSpec wrap(SpecParams p, CompressorSpec inner) {
        if (!p.has("dense_below")) {
            return inner;
        }
        return new Spec(inner, p.getInt("dense_below", false, 0, 1, Integer.MAX_VALUE));
    }

    /** {@code inner} with segments under {@code n} elements sent dense. */
    public static CompressorSpec wrap(CompressorSpec inner, int n) {
        return new Spec(inner, n);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public Message encode(float[] values, int offset, int length, EncodeContext ctx) {
        if (length < n) {
            float[] copy = new float[length];
            System.arraycopy(values, offset, copy, 0, length);
            return new DenseMessage(copy, 1);
        }
        return inner.encode(values, offset, length, ctx);
    }

    @Override
    public void decode(Message message, float[] dst, int dstOffset) {
        if (message instanceof DenseMessage d && d.length() < n) {
            System.arraycopy(d.values(), 0, dst, dstOffset, d.length());
        } else {
            inner.decode(message, dst, dstOffset);
        }
    }

    @Override
    public Message merge(Message a, Message b) {
        if (a instanceof DenseMessage da && b instanceof DenseMessage db && a.length() < n) {
            return DenseMessage.sum(da, db);
        }
        return inner.merge(a, b);
    }

    @Override
    public float[][] workerState() {
        return inner.workerState();
    }

    @Override
    public void restoreWorkerState(float[][] state) {
        inner.restoreWorkerState(state);
    }

    @Override
    public Message downlink(Message aggregate) {
        return aggregate instanceof DenseMessage && aggregate.length() < n ? aggregate : inner.downlink(aggregate);
    }

    @Override
    public void finish(Message aggregate, float[] dst, int dstOffset) {
        if (aggregate instanceof DenseMessage d && d.length() < n) {
            float[] v = d.values();
            int w = d.workers();
            for (int i = 0; i < v.length; i++) {
                dst[dstOffset + i] = v[i] / w;
            }
        } else {
            inner.finish(aggregate, dst, dstOffset);
        }
    }

    /** The spec: {@code <inner spec>,dense_below=<n>}. */
    public record Spec(CompressorSpec inner, int n) implements CompressorSpec {

        public Spec {
            if (inner == null || n < 1) {
                throw new IllegalArgumentException("dense_below needs a compressor and n >= 1, got n=" + n);
            }
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public String spec() {
            String s = inner.spec();
            return s + (s.contains(":") ? "," : ":") + "dense_below=" + n;
        }

        @Override
        public Compressor create(Layout segments) {
            return new DenseBelow(inner.create(segments), n);
        }
    }
}
