package io.lamina.compression.sign;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.message.GatheringCompressor;
import io.lamina.compression.Message;

/**
 * The scaled sign compressor of EF-signSGD (Karimireddy, Rebjock, Stich, Jaggi, "Error Feedback
 * Fixes SignSGD and other Gradient Compression Schemes", ICML 2019), per segment p of dimension d:
 * <pre>  C(p) = (||p||_1 / d) * sign(p)     (sign(0) = +1)</pre>
 * It is meant to run with the error-feedback memory ({@code efsign} / {@code residual}): the
 * worker compresses p = g + e and keeps e = p - C(p). Wire ({@link ScaledSignMessage}): varint
 * length, fp32 scale ||p||_1 / d, then 1 sign bit per element. Differs from the paper: ||p||_1 is
 * summed in a fixed lane order ({@link SignBits#packAbsSum}), which changes the scale only in its
 * last bits. Per-worker scales are not summable: aggregation is gathered-then-dense, and the
 * update is the mean of the workers' C(p). Spec {@code efsign}, no parameters.
 */
public final class EfSignCompressor extends GatheringCompressor {

    @Override
    public String name() {
        return "efsign";
    }

    @Override
    public Message encode(float[] v, int offset, int length, EncodeContext ctx) {
        long[] words = new long[SignBits.words(length)];
        double l1 = SignBits.packAbsSum(v, offset, length, words); // one pass: signs and ||p||_1
        float scale = (float) (l1 / length);
        if (!Float.isFinite(scale)) {
            requireFinite(v, offset, length, ctx);
            throw new IllegalArgumentException("efsign: the mean |p| of segment " + ctx.segment()
                    + " overflows fp32");
        }
        return new ScaledSignMessage(scale, length, words);
    }

    /** Parses {@code efsign}; it takes no parameters. */
    public static CompressorSpec parse(io.lamina.compression.SpecParams p) {
        return io.lamina.compression.FixedSpec.parse(p, "efsign", segments -> new EfSignCompressor());
    }
}
