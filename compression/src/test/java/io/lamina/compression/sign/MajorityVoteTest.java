package io.lamina.compression.sign;

import static io.lamina.compression.quant.QuantTestSupport.body;
import static io.lamina.compression.quant.QuantTestSupport.create;
import static io.lamina.compression.quant.QuantTestSupport.ctx;
import static io.lamina.compression.quant.QuantTestSupport.decode;
import static io.lamina.compression.quant.QuantTestSupport.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.compression.Compressor;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.Message;
import io.lamina.compression.RoundProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** signSGD / Signum: 1-bit messages, exact vote counting, majority vote against a slow reference. */
class MajorityVoteTest {

    private static int varint(int v) {
        return v < (1 << 7) ? 1 : v < (1 << 14) ? 2 : v < (1 << 21) ? 3 : 4;
    }

    /** Values with many exact zeros, negative zeros and a NaN, all of which vote +1 except negatives. */
    private static float[] values(int n, SplittableRandom r) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10);
            v[i] = k == 0 ? 0f : k == 1 ? -0f : (float) (r.nextDouble() - 0.5);
        }
        v[n / 2] = Float.NaN;
        return v;
    }

    /** Merges messages in a random tree order, through Kryo at every level, as Spark would. */
    private static Message treeMerge(Compressor c, List<Message> msgs, SplittableRandom r) {
        List<Message> level = new ArrayList<>(msgs);
        while (level.size() > 1) {
            int i = r.nextInt(level.size());
            Message a = level.remove(i);
            Message b = level.remove(r.nextInt(level.size()));
            level.add(roundTrip(c.merge(a, b)));
        }
        return level.get(0);
    }

    @Test
    void majorityVoteIsBitExactAgainstASlowReference() {
        SplittableRandom r = new SplittableRandom(2024);
        for (String spec : new String[] {"signsgd", "signum:beta=0"}) {
            for (int workers = 1; workers <= 7; workers++) {
                for (int n : new int[] {1, 63, 64, 65, 1000}) {
                    float[][] g = new float[workers][];
                    List<Message> msgs = new ArrayList<>();
                    for (int w = 0; w < workers; w++) {
                        g[w] = values(n, r);
                        Compressor c = create(spec, n);
                        Message m = c.encode(g[w], 0, n, ctx(1, w));
                        assertEquals(varint(n) + (n + 7) / 8, body(m).length, "sign message size");
                        msgs.add(roundTrip(m));
                    }
                    Compressor driver = create(spec, n);
                    Message agg = treeMerge(driver, msgs, r);
                    assertEquals(workers, agg.workers());
                    float[] out = new float[n];
                    driver.finish(agg, out, 0);
                    int ties = 0;
                    for (int i = 0; i < n; i++) {
                        int vote = 0;
                        for (int w = 0; w < workers; w++) {
                            vote += g[w][i] < 0 ? -1 : 1; // sign(0) = +1; NaN < 0 is false
                        }
                        ties += vote == 0 ? 1 : 0;
                        assertEquals((float) Integer.signum(vote), out[i],
                                spec + " workers=" + workers + " element " + i);
                        if (agg instanceof VoteMessage v) {
                            assertEquals(vote, v.vote(i));
                        }
                    }
                    if (workers % 2 == 0 && n == 1000) {
                        assertTrue(ties > 0, "no tie exercised for " + workers + " workers");
                    }
                    if (workers > 1) {
                        VoteMessage v = assertInstanceOf(VoteMessage.class, agg);
                        int width = 32 - Integer.numberOfLeadingZeros(workers); // ceil(log2(n + 1))
                        assertEquals(varint(n) + 1 + ((long) n * width + 7) / 8, body(v).length);
                        assertEquals(v.wireBytes(), body(v).length);
                    }
                }
            }
        }
    }

    @Test
    void theDownlinkIsSignOfTheVoteAtMostTwoBitsPerElement() {
        SplittableRandom r = new SplittableRandom(77);
        for (String spec : new String[] {"signsgd", "signum:beta=0"}) {
            for (int workers = 1; workers <= 8; workers++) {
                for (int n : new int[] {1, 63, 64, 65, 1000}) {
                    Compressor driver = create(spec, n);
                    RoundProtocol protocol = RoundProtocol.of(driver);
                    Message agg = null;
                    for (int w = 0; w < workers; w++) {
                        Message m = create(spec, n).encode(values(n, r), 0, n, ctx(1, w));
                        agg = agg == null ? m : driver.merge(agg, m);
                    }
                    float[] fromAggregate = new float[n];
                    driver.finish(agg, fromAggregate, 0);
                    Message down = roundTrip(protocol.downlink(0, agg));
                    float[] applied = new float[n];
                    protocol.finish(0, new Message[] {down}, applied, 0);
                    for (int i = 0; i < n; i++) {
                        assertEquals(Float.floatToRawIntBits(fromAggregate[i]), Float.floatToRawIntBits(applied[i]),
                                spec + " workers=" + workers + " n=" + n + " element " + i + ": the update is unchanged");
                    }
                    long header = varint(n) + (workers == 1 ? 0 : varint(workers) + 1);
                    long planes = body(down).length - header;
                    assertTrue(planes <= 2L * ((n + 7) / 8), spec + " workers=" + workers + " n=" + n
                            + ": more than 2 bits per element: " + body(down).length + " bytes");
                    if (workers % 2 == 1) {
                        assertEquals((n + 7) / 8, planes, "odd workers cannot tie: 1 bit per element");
                    }
                    if (down instanceof MajoritySignMessage ms) {
                        assertEquals(ms.wireBytes(), body(ms).length);
                        assertEquals(workers, ms.workers());
                    }
                }
            }
        }
    }

    @Test
    void zerosVotePlusOneAndTiesGiveZero() {
        int n = 4;
        Compressor c = create("signsgd", n);
        RoundProtocol protocol = RoundProtocol.of(c);
        float[][] g = {{0f, 1f, -1f, 0f}, {0f, -1f, -1f, -0f}};
        Message agg = c.merge(c.encode(g[0], 0, n, ctx(0, 0)), c.encode(g[1], 0, n, ctx(0, 1)));
        float[] update = new float[n];
        protocol.finish(0, new Message[] {protocol.downlink(0, agg)}, update, 0);
        // zeros (and -0) vote +1 on every worker, so the update is +1 (the parameter moves by -lr);
        // an even split ties and gives 0
        assertEquals(List.of(1f, 0f, -1f, 1f), List.of(update[0], update[1], update[2], update[3]));
    }

    @Test
    void signDecodesToPlusMinusOneWithZeroPositive() {
        float[] v = {0f, -0f, 1e-30f, -1e-30f, Float.NaN, -3f, 3f};
        Compressor c = create("signsgd", v.length);
        SignMessage m = (SignMessage) c.encode(v, 0, v.length, ctx(0, 0));
        float[] d = decode(c, m);
        float[] expect = {1f, 1f, 1f, -1f, 1f, -1f, 1f};
        for (int i = 0; i < v.length; i++) {
            assertEquals(expect[i], d[i], "element " + i);
        }
    }

    @Test
    void signumKeepsMomentumPerSegmentAsTheReference() {
        int n = 130;
        double beta = 0.9;
        Compressor c = Compressors.parse("signum:beta=0.9").create(io.lamina.compression.Layout.single("w", n));
        SignumCompressor signum = (SignumCompressor) c;
        SplittableRandom r = new SplittableRandom(7);
        float[] ref = new float[n];
        for (int step = 0; step < 6; step++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                g[i] = (float) (r.nextDouble() - 0.5 + 0.1 * Math.sin(i));
            }
            SignMessage m = (SignMessage) c.encode(g, 0, n, ctx(step, 0));
            for (int i = 0; i < n; i++) {
                ref[i] = (float) beta * ref[i] + (1f - (float) beta) * g[i];
                assertEquals(ref[i] < 0, m.negative(i), "step " + step + " element " + i);
            }
            float[] mom = signum.momentum(0);
            for (int i = 0; i < n; i++) {
                assertEquals(ref[i], mom[i], "momentum, step " + step + " element " + i);
            }
        }
        // momentum makes signum differ from plain signSGD on a flipped gradient
        float[] flip = new float[n];
        java.util.Arrays.fill(flip, -0.01f);
        SignMessage m = (SignMessage) c.encode(flip, 0, n, ctx(7, 0));
        int positive = 0;
        for (int i = 0; i < n; i++) {
            positive += m.negative(i) ? 0 : 1;
        }
        assertTrue(positive > 0, "momentum had no effect");
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("signum:beta=1"));
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("signum:beta=-0.1"));
        assertEquals("signum:beta=0.9", Compressors.parse("signum").spec());
    }
}
