package io.lamina.compression.quant;

import static io.lamina.compression.quant.QuantTestSupport.create;
import static io.lamina.compression.quant.QuantTestSupport.ctx;
import static io.lamina.compression.quant.QuantTestSupport.gaussian;
import static io.lamina.compression.quant.QuantTestSupport.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The block-wise TernGrad encoder equals the scalar rule element by element over several blocks
 * and every tail length: code = sign(x) if u * s_t < |x| (u = j 2^-23, j the top 23 bits of the
 * counter-hash word i), else 0.
 */
class TernGradBlockEncoderTest {

    @Test
    void tritsEqualTheScalarBernoulliRule() {
        for (int n : new int[] {1, 4, 5, 6, 39, 40, 41, 4079, 4080, 4081, 3 * 4080 + 7, 2 * 4080 + 40}) {
            float[] v = gaussian(n, 30 + n);
            v[0] = -0f;
            if (n > 3) {
                v[3] = 25f; // clipped
            }
            TernaryMessage m = roundTrip((TernaryMessage) create("terngrad", n).encode(v, 0, n, ctx(2, 1)));
            long seed = ctx(2, 1).workerSeed();
            float st = m.scale();
            for (int i = 0; i < n; i++) {
                float u = (CounterHash.word(i, seed) >>> 9) * 0x1p-23f;
                boolean keep = st > 0 && u * st < Math.abs(v[i]);
                int expect = keep ? (Float.floatToRawIntBits(v[i]) < 0 ? -1 : 1) : 0;
                assertEquals(expect, m.code(i), "n=" + n + " element " + i);
            }
        }
    }
}
