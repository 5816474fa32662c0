package io.lamina.compression.quant;

import static io.lamina.compression.quant.QuantTestSupport.gaussian;
import static io.lamina.compression.quant.QuantTestSupport.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Segment;
import io.lamina.compression.bits.PackedBits;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The block-wise natural-compression encoder equals the scalar rule element by element: code =
 * sign and exponent of x, the exponent raised iff the top 23 bits of the counter-hash word at the
 * element's global index are below the mantissa (never from exponent 254 up), over several blocks,
 * an odd tail, a segment that does not start at 0, and every class of float.
 */
class NaturalBlockEncoderTest {

    @Test
    void codesEqualTheScalarRuleAtTheGlobalIndex() {
        int first = 777;
        int n = 2 * 4096 + 1235;
        Layout layout = Layout.of(List.of(new Segment("a", 0, first), new Segment("b", first, n)));
        float[] v = gaussian(n + 3, 5);
        SplittableRandom r = new SplittableRandom(6);
        for (int i = 0; i < 2000; i++) { // random bit patterns: subnormal, huge, infinite, NaN
            v[3 + r.nextInt(n)] = Float.intBitsToFloat(r.nextInt());
        }
        v[10] = 0f;
        v[11] = -0f;
        v[12] = Float.MAX_VALUE;
        v[13] = Float.NEGATIVE_INFINITY;
        NaturalCompressor c = new NaturalCompressor(layout);
        EncodeContext ctx = new EncodeContext(8, 1, 2, 99L);
        NaturalMessage m = roundTrip((NaturalMessage) c.encode(v, 3, n, ctx));
        long seed = NaturalCompressor.elementSeed(ctx);
        for (int i = 0; i < n; i++) {
            int expect = NaturalCompressor.code(v[3 + i], CounterHash.word(first + i, seed));
            assertEquals(expect, PackedBits.get(m.words(), i, NaturalMessage.WIDTH), "element " + i);
        }
    }
}
