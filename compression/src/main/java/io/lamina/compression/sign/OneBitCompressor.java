package io.lamina.compression.sign;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.message.GatheringCompressor;
import io.lamina.compression.Message;

/**
 * 1-bit SGD (Seide, Fu, Droppo, Li, Yu, "1-Bit Stochastic Gradient Descent and its Application
 * to Data-Parallel Distributed Training of Speech DNNs", Interspeech 2014). Each value becomes one
 * bit, reconstructed as the mean of its side:
 * <pre>
 *   mu+ = mean { x_i : x_i >= 0 },   mu- = mean { x_i : x_i < 0 }   (0 for an empty side)
 *   C(x)_i = mu+ if x_i >= 0, else mu-
 * </pre>
 * It relies on error feedback (the {@code residual} memory: quantisation error carried to the
 * next step). Wire ({@link OneBitMessage}): varint length, fp32 mu+, fp32 mu-, then 1 bit per
 * element. Differs from the paper: the two means are per segment (the granularity decides how
 * fine that is), as in GRACE, not per matrix column. Per-worker means are not summable:
 * aggregation is gathered-then-dense. Spec {@code onebit}, no parameters.
 */
public final class OneBitCompressor extends GatheringCompressor {

    @Override
    public String name() {
        return "onebit";
    }

    @Override
    public Message encode(float[] v, int offset, int length, EncodeContext ctx) {
        long[] words = new long[SignBits.words(length)];
        double[] sums = new double[2];
        int negCount = SignBits.packSplitSums(v, offset, length, words, sums); // one pass
        double pos = sums[0];
        double neg = sums[1];
        if (!Double.isFinite(pos) || !Double.isFinite(neg)) {
            requireFinite(v, offset, length, ctx);
        }
        int posCount = length - negCount;
        float mp = posCount == 0 ? 0f : (float) (pos / posCount);
        float mn = negCount == 0 ? 0f : (float) (neg / negCount);
        if (!Float.isFinite(mp) || !Float.isFinite(mn)) {
            throw new IllegalArgumentException("onebit: a mean of segment " + ctx.segment() + " overflows fp32");
        }
        return new OneBitMessage(mp, mn, length, words);
    }

    /** Parses {@code onebit}; it takes no parameters. */
    public static CompressorSpec parse(io.lamina.compression.SpecParams p) {
        return io.lamina.compression.FixedSpec.parse(p, "onebit", segments -> new OneBitCompressor());
    }
}
