package io.lamina.compression.sign;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Message;

/**
 * signSGD with majority vote (Bernstein, Wang, Azizzadenesheli, Anandkumar, "signSGD: Compressed
 * Optimisation for Non-Convex Problems", ICML 2018; majority vote: Bernstein, Zhao,
 * Azizzadenesheli, Anandkumar, ICLR 2019):
 * <pre>
 *   worker m sends C(g_m)_i = sign(g_m,i)   (1 bit; sign(0) = +1, NaN counts as +1)
 *   every replica applies  sign( sum_m C(g_m)_i )  in {-1, 0, +1}   (a tie gives 0)
 * </pre>
 * The step size is the optimizer's learning rate: {@code finish} outputs exactly -1, 0 or +1.
 * Wire: {@link SignMessage} (1 bit per element) up, {@link io.lamina.compression.sign.VoteMessage}
 * (ceil(log2(n + 1)) bits per element for n workers) in aggregation, summed exactly in code space
 * ({@link MajorityVote}). {@code decode} gives +-1 (what a memory sees as sent). Element-wise: the
 * same under every granularity. No parameters.
 */
public final class SignSgdCompressor implements Compressor {

    @Override
    public String name() {
        return "signsgd";
    }

    @Override
    public Message encode(float[] values, int offset, int length, EncodeContext ctx) {
        return new SignMessage(length, SignBits.pack(values, offset, length));
    }

    @Override
    public void decode(Message message, float[] dst, int dstOffset) {
        ((SignMessage) message).decodeInto(dst, dstOffset);
    }

    @Override
    public Message merge(Message a, Message b) {
        return MajorityVote.merge(a, b);
    }

    @Override
    public void finish(Message aggregate, float[] dst, int dstOffset) {
        MajorityVote.finish(aggregate, dst, dstOffset);
    }

    /** Parses {@code signsgd}; it takes no parameters. */
    public static CompressorSpec parse(io.lamina.compression.SpecParams p) {
        return io.lamina.compression.FixedSpec.parse(p, "signsgd", segments -> new SignSgdCompressor());
    }
}
