package io.lamina.compression.quant;

import static io.lamina.compression.quant.QuantTestSupport.gaussian;
import static io.lamina.compression.quant.QuantTestSupport.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.granularity.Granularity;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The element-wise methods give bit-identical results under layer-wise, entire-model and bucketed
 * granularity: every worker's decoded message and the averaged update every replica applies.
 */
class GranularityInvarianceTest {

    private static final Layout TENSORS = Layout.of(List.of(
            new Segment("0_W", 0, 300, new int[] {20, 15}), new Segment("0_b", 300, 17),
            new Segment("1_W", 317, 1000, new int[] {100, 10}), new Segment("1_b", 1317, 5),
            new Segment("2_W", 1322, 64)));
    private static final int WORKERS = 4;

    /** Runs one step of every worker through one granularity; returns [update, worker 0 decoded]. */
    private static float[][] step(String spec, Granularity g, float[][] grads) {
        CompressorSpec cs = Compressors.parse(spec);
        Layout layout = g.apply(TENSORS);
        Compressor driver = cs.create(layout);
        Compressor[] workers = new Compressor[WORKERS];
        for (int w = 0; w < WORKERS; w++) {
            workers[w] = cs.create(layout);
        }
        int total = TENSORS.totalLength();
        float[] update = new float[total];
        float[] sent0 = new float[total];
        for (int j = 0; j < layout.size(); j++) {
            Segment s = layout.get(j);
            Message agg = null;
            for (int w = 0; w < WORKERS; w++) {
                Message m = workers[w].encode(grads[w], s.offset(), s.length(), new EncodeContext(9, j, w, 77L));
                if (w == 0) {
                    workers[w].decode(m, sent0, s.offset());
                }
                agg = agg == null ? roundTrip(m) : roundTrip(driver.merge(agg, roundTrip(m)));
            }
            driver.finish(agg, update, s.offset());
        }
        return new float[][] {update, sent0};
    }

    @Test
    void elementWiseMethodsAreGranularityInvariant() {
        float[][] grads = new float[WORKERS][];
        for (int w = 0; w < WORKERS; w++) {
            grads[w] = gaussian(TENSORS.totalLength(), 300 + w);
        }
        Granularity[] gs = {Granularity.parse("layer"), Granularity.parse("model"), Granularity.parse("bucket:400")};
        for (String spec : new String[] {"fp16", "bf16", "natural", "signsgd"}) {
            float[][] ref = step(spec, gs[0], grads);
            for (int k = 1; k < gs.length; k++) {
                float[][] other = step(spec, gs[k], grads);
                assertArrayEquals(ref[0], other[0], spec + " update differs under " + gs[k].spec());
                assertArrayEquals(ref[1], other[1], spec + " decoded message differs under " + gs[k].spec());
            }
        }
        // a method with a per-segment norm is not invariant: the test can tell the difference
        assertNotEquals(java.util.Arrays.toString(step("qsgd:s=4", gs[0], grads)[0]),
                java.util.Arrays.toString(step("qsgd:s=4", gs[1], grads)[0]));
    }
}
