package io.lamina.compression.quant;

import static io.lamina.compression.quant.QuantTestSupport.KRYO;
import static io.lamina.compression.quant.QuantTestSupport.body;
import static io.lamina.compression.quant.QuantTestSupport.create;
import static io.lamina.compression.quant.QuantTestSupport.ctx;
import static io.lamina.compression.quant.QuantTestSupport.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import io.lamina.compression.Compressor;
import io.lamina.compression.Message;
import io.lamina.compression.message.CodedMessage;
import io.lamina.compression.message.GatheredMessage;
import io.lamina.compression.sign.VoteMessage;
import io.lamina.compression.sign.MajorityVote;
import io.lamina.compression.bits.CorruptMessageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random byte flips and truncations of every quantiser and sign message type: reading either
 * fails with {@link CorruptMessageException} / {@link KryoException} or yields a valid,
 * in-bounds message that decodes without error. Never an OutOfMemoryError, never a hang.
 */
class QuantCorruptInputTest {

    private static final int TRIALS_PER_MESSAGE = 120;

    /** Valid messages of every type, of several lengths. */
    private static List<Message> samples() {
        List<Message> out = new ArrayList<>();
        String[] specs = {"fp16", "bf16", "qsgd:s=1", "qsgd:s=5", "qsgd:s=300", "qsgd:s=5,bucket=16", "terngrad", "terngrad:bucket=16", "natural",
            "8bit", "signsgd", "efsign", "onebit"};
        for (String spec : specs) {
            for (int n : new int[] {1, 7, 70, 300}) {
                float[] v = gaussian(n, n * 31L + spec.hashCode());
                Compressor c = create(spec, n);
                Message a = c.encode(v, 0, n, ctx(0, 0));
                out.add(a);
                if (!spec.equals("fp16")) {
                    Message b = create(spec, n).encode(gaussian(n, n), 0, n, ctx(0, 1));
                    Message merged = c.merge(a, b);
                    out.add(merged); // a VoteMessage or a GatheredMessage
                }
            }
        }
        Compressor sign = create("signsgd", 200);
        Message votes = null;
        for (int w = 0; w < 5; w++) {
            Message m = sign.encode(gaussian(200, w), 0, 200, ctx(0, w));
            votes = votes == null ? m : sign.merge(votes, m);
        }
        out.add(votes);
        out.add(sign.downlink(votes)); // odd workers: one plane
        out.add(sign.downlink(sign.merge(votes, sign.encode(gaussian(200, 9), 0, 200, ctx(0, 5))))); // ties
        return out;
    }

    /** What a receiver does with an accepted message: decode or finish it into a right-sized array. */
    private static void use(Message m) {
        assertTrue(m.length() >= 1 && m.length() <= 1 << 20, "length out of bounds: " + m.length());
        float[] dst = new float[m.length()];
        if (m instanceof VoteMessage) {
            MajorityVote.finish(m, dst, 0);
            for (float f : dst) {
                assertTrue(f == -1f || f == 0f || f == 1f);
            }
        } else if (m instanceof io.lamina.compression.message.DenseMessage d) {
            assertEquals(d.length(), d.values().length);
        } else if (m instanceof GatheredMessage g) {
            GatheredMessage.finish(g, dst, 0);
        } else {
            ((CodedMessage) m).decodeInto(dst, 0);
        }
    }

    @Test
    void flippedAndTruncatedBytesNeverCrashOrHang() {
        List<Message> samples = samples();
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            SplittableRandom r = new SplittableRandom(99);
            for (Message m : samples) {
                byte[] good = body(m);
                for (int t = 0; t < TRIALS_PER_MESSAGE; t++) {
                    byte[] bad;
                    int kind = r.nextInt(3);
                    if (kind == 0) {
                        bad = java.util.Arrays.copyOf(good, r.nextInt(good.length));
                    } else {
                        bad = good.clone();
                        int flips = 1 + r.nextInt(3);
                        for (int f = 0; f < flips; f++) {
                            int pos = r.nextInt(Math.min(bad.length, kind == 1 ? 12 : bad.length));
                            bad[pos] ^= (byte) (1 << r.nextInt(8));
                        }
                    }
                    try {
                        Message back = KRYO.readObject(new Input(bad), m.getClass());
                        use(back);
                        outcomes[0]++;
                    } catch (CorruptMessageException | KryoException e) {
                        outcomes[1]++;
                    }
                }
            }
        });
        assertTrue(outcomes[1] > samples.size() * TRIALS_PER_MESSAGE / 3,
                "too few corruptions detected: " + outcomes[1]);
    }

    @Test
    void specificCorruptionsAreNamed() {
        QsgdMessage q = (QsgdMessage) create("qsgd:s=2", 4).encode(new float[] {1, -1, 0, 2}, 0, 4, ctx(0, 0));
        byte[] b = body(q);
        // layout: length(1) s(1) norm(4) codes(2 bytes: 4 codes of 3 bits); code 7 > 2s = 4
        b[6] = (byte) 0xFF;
        CorruptMessageException e = assertThrows(CorruptMessageException.class,
                () -> KRYO.readObject(new Input(b), QsgdMessage.class));
        assertTrue(e.getMessage().contains("exceeds 2s"), e.getMessage());
        // a huge declared length with few bytes: fails on the bytes, without allocating the length
        byte[] huge = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x03, 1, 0, 0, 0, 0};
        assertThrows(CorruptMessageException.class, () -> KRYO.readObject(new Input(huge), QsgdMessage.class));
        // bucketed: the bucket size is checked against the length before any norm is allocated
        QsgdMessage qb = (QsgdMessage) create("qsgd:s=2,bucket=2", 4).encode(new float[] {1, -1, 0, 2}, 0, 4, ctx(0, 0));
        byte[] bb = body(qb);
        // layout: length(1) s + 2^16 (3) bucket(1) norms(2 x 4) codes(2)
        assertEquals(1 + 3 + 1 + 8 + 2, bb.length);
        bb[4] = 5; // bucket 5 > length 4
        e = assertThrows(CorruptMessageException.class, () -> KRYO.readObject(new Input(bb), QsgdMessage.class));
        assertTrue(e.getMessage().contains("bucket size"), e.getMessage());
        bb[4] = 0; // bucket 0 is not allowed in the bucketed form
        assertThrows(CorruptMessageException.class, () -> KRYO.readObject(new Input(bb), QsgdMessage.class));
        bb[4] = 2;
        bb[5] = (byte) 0xFF; // the first norm becomes NaN (0xFF......)
        e = assertThrows(CorruptMessageException.class, () -> KRYO.readObject(new Input(bb), QsgdMessage.class));
        assertTrue(e.getMessage().contains("norm of bucket 0"), e.getMessage());
        // a 2^30-element segment in buckets of 1 claims 2^30 norms: the stream ends after a few
        // bytes, and the reader fails without allocating 4 GiB
        byte[] claim = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04, (byte) 0x82, (byte) 0x80, 0x04, 1,
            0x3F, (byte) 0x80, 0, 0};
        e = assertThrows(CorruptMessageException.class, () -> KRYO.readObject(new Input(claim), QsgdMessage.class));
        assertTrue(e.getMessage().contains("norms"), e.getMessage());
        // terngrad bucketed: marker -1, then the bucket size checked against the length
        byte[] tb = body(create("terngrad:bucket=2", 4).encode(new float[] {1, -1, 0, 2}, 0, 4, ctx(0, 0)));
        // layout: length(1) marker(4) bucket(1) scales(2 x 4) trits(1)
        assertEquals(1 + 4 + 1 + 8 + 1, tb.length);
        tb[5] = 9; // bucket 9 > length 4
        e = assertThrows(CorruptMessageException.class,
                () -> KRYO.readObject(new Input(tb), io.lamina.compression.quant.TernaryMessage.class));
        assertTrue(e.getMessage().contains("bucket size"), e.getMessage());
        tb[1] = (byte) 0xC0; // -2: negative but not the marker
        e = assertThrows(CorruptMessageException.class,
                () -> KRYO.readObject(new Input(tb), io.lamina.compression.quant.TernaryMessage.class));
        assertTrue(e.getMessage().contains("scale"), e.getMessage());
        // a non-finite scale
        byte[] nan = body(create("efsign", 3).encode(new float[] {1, 2, 3}, 0, 3, ctx(0, 0)));
        nan[1] = (byte) 0x7F;
        nan[2] = (byte) 0xC0;
        e = assertThrows(CorruptMessageException.class,
                () -> KRYO.readObject(new Input(nan), io.lamina.compression.sign.ScaledSignMessage.class));
        assertTrue(e.getMessage().contains("scale"), e.getMessage());
        // a gathered message whose part class is not a coded message
        Message g = create("8bit", 50).merge(create("8bit", 50).encode(gaussian(50, 1), 0, 50, ctx(0, 0)),
                create("8bit", 50).encode(gaussian(50, 2), 0, 50, ctx(0, 1)));
        byte[] gb = body(g);
        assertEquals((byte) (0x80 | (1026 & 0x7F)), gb[0]); // Kryo writes id + 2 as a varint
        gb[0] = (byte) (0x80 | (1002 & 0x7F)); // 1024 -> 1000 (DenseMessage)
        gb[1] = (byte) (1002 >>> 7);
        e = assertThrows(CorruptMessageException.class, () -> KRYO.readObject(new Input(gb), GatheredMessage.class));
        assertTrue(e.getMessage().contains("not a coded message"), e.getMessage());
        assertEquals(2, ((GatheredMessage) g).parts().size());
    }
}
