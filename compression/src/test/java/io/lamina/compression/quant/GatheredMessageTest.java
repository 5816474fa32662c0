package io.lamina.compression.quant;

import static io.lamina.compression.quant.QuantTestSupport.body;
import static io.lamina.compression.quant.QuantTestSupport.create;
import static io.lamina.compression.quant.QuantTestSupport.ctx;
import static io.lamina.compression.quant.QuantTestSupport.decode;
import static io.lamina.compression.quant.QuantTestSupport.gaussian;
import static io.lamina.compression.quant.QuantTestSupport.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.compression.Compressor;
import io.lamina.compression.Message;
import io.lamina.compression.message.CodedMessage;
import io.lamina.compression.message.DenseMessage;
import io.lamina.compression.message.GatheredMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gathered-then-dense aggregation of non-summable codes, against a dense reference. */
class GatheredMessageTest {

    private static final String[] SPECS = {"qsgd:s=7", "qsgd:s=127", "terngrad", "natural", "8bit",
        "efsign", "onebit", "fp16", "bf16"};

    private static int varint(int v) {
        return v < (1 << 7) ? 1 : v < (1 << 14) ? 2 : 3;
    }

    @Test
    void leftFoldGathersUntilDenseIsSmallerThenMatchesTheReferenceExactly() {
        int n = 1000;
        int workers = 36; // 1-bit codes switch to dense after 32 workers
        for (String spec : SPECS) {
            Compressor driver = create(spec, n);
            List<Message> msgs = new ArrayList<>();
            float[][] decoded = new float[workers][];
            for (int w = 0; w < workers; w++) {
                Compressor c = create(spec, n);
                Message m = c.encode(gaussian(n, 1000 * w + spec.length()), 0, n, ctx(4, w));
                msgs.add(m);
                decoded[w] = decode(c, m);
            }
            long partBytes = ((CodedMessage) msgs.get(0)).wireBytes();
            Message agg = msgs.get(0);
            float[] ref = decoded[0].clone();
            for (int k = 1; k < workers; k++) {
                agg = roundTrip(driver.merge(agg, msgs.get(k)));
                for (int i = 0; i < n; i++) {
                    ref[i] += decoded[k][i];
                }
                int count = k + 1;
                long gathered = 2 + varint(count) + count * partBytes;
                long dense = varint(n) + varint(count) + 4L * n;
                assertEquals(gathered < dense, agg instanceof GatheredMessage, spec + " at " + count + " workers: "
                        + agg.getClass().getSimpleName() + ", gathered " + gathered + " vs dense " + dense);
                if (agg instanceof GatheredMessage g) {
                    assertEquals(gathered, g.wireBytes());
                    assertEquals(gathered, body(g).length, "gathered wire size");
                }
                assertEquals(count, agg.workers());
                float[] out = new float[n];
                driver.finish(agg, out, 0);
                for (int i = 0; i < n; i++) {
                    assertEquals(ref[i] / count, out[i], spec + " mean at " + count + " workers, element " + i);
                }
            }
            assertInstanceOf(DenseMessage.class, agg, spec + " never switched to dense");
        }
    }

    @Test
    void qsgdSwitchesToDenseExactlyWhereItsSizeSaysSo() {
        // qsgd s=7: 4 bits per element: 1000 elements = 500 bytes + 7 header; dense = 4003 bytes
        // gathered k parts = 2 + 1 + 507 k < 4003 for k <= 7, dense from k = 8
        int n = 1000;
        Compressor driver = create("qsgd:s=7", n);
        Message agg = null;
        for (int w = 0; w < 9; w++) {
            Message m = create("qsgd:s=7", n).encode(gaussian(n, w), 0, n, ctx(0, w));
            assertEquals(507, ((CodedMessage) m).wireBytes());
            agg = agg == null ? m : driver.merge(agg, m);
            if (w + 1 <= 7) {
                assertTrue(w == 0 || agg instanceof GatheredMessage, "expected gathered at " + (w + 1));
            } else {
                assertInstanceOf(DenseMessage.class, agg, "expected dense at " + (w + 1));
            }
        }
    }

    @Test
    void treeOrderGivesTheSameBitsAsTheLeftFoldWhileGathered() {
        int n = 500;
        Compressor driver = create("qsgd:s=3", n);
        Message[] m = new Message[4];
        for (int w = 0; w < 4; w++) {
            m[w] = create("qsgd:s=3", n).encode(gaussian(n, 70 + w), 0, n, ctx(2, w));
        }
        Message fold = driver.merge(driver.merge(driver.merge(m[0], m[1]), m[2]), m[3]);
        Message tree = roundTrip(driver.merge(roundTrip(driver.merge(m[0], m[1])), roundTrip(driver.merge(m[2], m[3]))));
        assertInstanceOf(GatheredMessage.class, tree);
        assertArrayEquals(body(fold), body(tree));
        float[] a = new float[n];
        float[] b = new float[n];
        driver.finish(fold, a, 0);
        driver.finish(tree, b, 0);
        assertArrayEquals(a, b);
    }

    @Test
    void denseOperandsOnEitherSideAreSummedWithoutTouchingTheRightOne() {
        int n = 300;
        Compressor driver = create("8bit", n);
        float[] x = gaussian(n, 1);
        Message m = create("8bit", n).encode(x, 0, n, ctx(0, 0));
        float[] dv = gaussian(n, 2);
        DenseMessage dense = new DenseMessage(dv.clone(), 3);
        Message sum = driver.merge(m, dense);
        assertArrayEquals(dv, dense.values(), "right operand modified");
        assertEquals(4, sum.workers());
        float[] dm = decode(driver, m);
        float[] out = new float[n];
        driver.finish(sum, out, 0);
        for (int i = 0; i < n; i++) {
            assertEquals((dm[i] + dv[i]) / 4, out[i]);
        }
        Message sum2 = driver.merge(new DenseMessage(dv.clone(), 3), m);
        driver.finish(sum2, out, 0);
        for (int i = 0; i < n; i++) {
            assertEquals((dv[i] + dm[i]) / 4, out[i]);
        }
    }

    @Test
    void mixingTypesOrLengthsIsRefused() {
        Message q = create("qsgd", 10).encode(gaussian(10, 1), 0, 10, ctx(0, 0));
        Message t = create("terngrad", 10).encode(gaussian(10, 1), 0, 10, ctx(0, 0));
        Message q2 = create("qsgd", 11).encode(gaussian(11, 1), 0, 11, ctx(0, 0));
        assertThrows(IllegalArgumentException.class, () -> GatheredMessage.merge(q, t));
        assertThrows(IllegalArgumentException.class, () -> GatheredMessage.merge(q, q2));
    }
}
