package io.lamina.compression.sign;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Message;

/**
 * signSGD with majority vote (Bernstein, Wang, Azizzadenesheli, Anandkumar, "signSGD: Compressed
 * Optimisation for Non-Convex Problems", ICML 2018; majority vote: Bernstein, Zhao,
 * Azizzadenesheli, Anandkumar, "signSGD with Majority Vote is Communication Efficient and Fault
 * Tolerant", ICLR 2019):
 * <pre>
 *   worker m sends C(g_m)_i = sign(g_m,i)   (sign(0) = +1, NaN counts as +1)
 *   every replica applies  sign( sum_m C(g_m)_i )  in {-1, 0, +1}   (a tie gives 0)
 * </pre>
 * The step size is the optimizer's learning rate: {@code finish} outputs exactly -1, 0 or +1, so
 * with the gradient on the wire as the mean over the worker's batch a plain SGD replica moves by
 * lr per step; {@code decode} gives +-1 (what a memory sees as sent). Wire: up, {@link SignMessage}
 * (varint length, then 1 bit per element); in aggregation, {@link VoteMessage} (varint length,
 * varint workers n, then the count of +1 votes per element at ceil(log2(n + 1)) bits), summed
 * exactly in code space ({@link MajorityVote}); down, only sign(vote) ({@link MajoritySignMessage}:
 * varint length, varint workers, a tie flag byte, 1 bit per element, plus a tie plane of 1 bit per
 * element if some vote tied). Differs from the paper: sign(0) is +1, since one bit has no zero (as
 * GRACE; a coordinate with zero gradient on every worker moves by -lr per step), while a tied vote
 * gives 0 (GRACE: +1); see {@link MajorityVote}. Element-wise: the same under every granularity.
 * Spec {@code signsgd}, no parameters.
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

    /** sign(vote) only: {@link MajoritySignMessage}, 1 bit per element (2 with ties). */
    @Override
    public Message downlink(Message aggregate) {
        return MajorityVote.downlink(aggregate);
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
