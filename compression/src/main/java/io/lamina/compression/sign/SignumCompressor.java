package io.lamina.compression.sign;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;

/**
 * Signum, signSGD with momentum (Bernstein, Wang, Azizzadenesheli, Anandkumar, "signSGD:
 * Compressed Optimisation for Non-Convex Problems", ICML 2018; majority vote as in Bernstein,
 * Zhao, Azizzadenesheli, Anandkumar, ICLR 2019), per segment and worker:
 * <pre>
 *   m_t = beta * m_{t-1} + (1 - beta) * g_t      (m_0 = 0, fp32, kept per segment)
 *   worker sends sign(m_t)  (sign(0) = +1);  every replica applies sign(sum of signs)  in {-1, 0, +1}
 * </pre>
 * The momentum lives in this compressor instance (one per worker), indexed by the segment of the
 * layout it was created for; it advances once per {@code encode}. Wire and aggregation are those
 * of {@link SignSgdCompressor}: {@link SignMessage} (varint length, 1 bit per element) up,
 * {@link VoteMessage} counts in aggregation, {@link MajoritySignMessage} (sign(vote), 1 bit per
 * element, 2 with ties) down. The update is -1, 0 or +1 per element: a plain SGD replica moves by
 * lr per step, whatever the unit of g (the mean over the worker's batch). Differs from the paper:
 * sign(0) is +1 (as GRACE; a zero momentum votes +1), a tie gives 0; see {@link MajorityVote}. Spec
 * {@code signum[:beta=<momentum>]}, beta in [0, 1), default 0.9.
 */
public final class SignumCompressor implements Compressor {

    public static final double DEFAULT_BETA = 0.9;

    private final float beta;
    private final Layout layout;
    private final float[][] momentum;

    public SignumCompressor(double beta, Layout layout) {
        this.beta = (float) beta;
        this.layout = layout;
        this.momentum = new float[layout.size()][];
    }

    @Override
    public String name() {
        return "signum";
    }

    @Override
    public float[][] workerState() {
        return io.lamina.compression.Memory.copyOf(momentum);
    }

    @Override
    public void restoreWorkerState(float[][] state) {
        io.lamina.compression.Memory.copyState(state, momentum, layout, "signum momentum");
    }

    @Override
    public Message encode(float[] g, int offset, int length, EncodeContext ctx) {
        int seg = ctx.segment();
        if (seg < 0 || seg >= momentum.length || layout.get(seg).length() != length) {
            throw new IllegalArgumentException("signum: segment " + seg + " with " + length
                    + " elements does not match the layout " + layout);
        }
        float[] m = momentum[seg];
        if (m == null) {
            m = momentum[seg] = new float[length];
        }
        float b = beta;
        float a = 1f - beta;
        for (int i = 0; i < length; i++) {
            m[i] = b * m[i] + a * g[offset + i];
        }
        return new SignMessage(length, SignBits.pack(m, 0, length));
    }

    /** The momentum of a segment (null before its first encode); for tests and metrics. */
    public float[] momentum(int segment) {
        return momentum[segment] == null ? null : momentum[segment].clone();
    }

    @Override
    public void decode(Message message, float[] dst, int dstOffset) {
        ((SignMessage) message).decodeInto(dst, dstOffset);
    }

    @Override
    public Message merge(Message a, Message b) {
        return MajorityVote.merge(a, b);
    }

    /** sign(vote) only: {@link MajoritySignMessage}, 1 bit per element (2 with ties). */
    @Override
    public Message downlink(Message aggregate) {
        return MajorityVote.downlink(aggregate);
    }

    @Override
    public void finish(Message aggregate, float[] dst, int dstOffset) {
        MajorityVote.finish(aggregate, dst, dstOffset);
    }

    /** Parses {@code signum[:beta=<momentum>]}. */
    public static CompressorSpec parse(io.lamina.compression.SpecParams p) {
        p.allowOnly(java.util.Set.of("beta"));
        return new Spec(p.getDouble("beta", true, DEFAULT_BETA, 0, Math.nextDown(1.0)));
    }

    /** The spec {@code signum[:beta=<momentum>]}. */
    public record Spec(double beta) implements CompressorSpec {

        public Spec {
            if (!(beta >= 0 && beta < 1)) {
                throw new IllegalArgumentException("signum: beta = " + beta
                        + " is out of range; allowed: [0, 1)");
            }
        }

        @Override
        public String name() {
            return "signum";
        }

        @Override
        public String spec() {
            return "signum:beta=" + beta;
        }

        @Override
        public Compressor create(Layout segments) {
            return new SignumCompressor(beta, segments);
        }
    }
}
