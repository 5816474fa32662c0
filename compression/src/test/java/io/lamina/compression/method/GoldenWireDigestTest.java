package io.lamina.compression.method;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.granularity.Granularity;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.RoundProtocol;
import io.lamina.compression.Segment;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pins the bytes on the wire: for every spec below, SHA-256 over the Kryo bytes (class id
 * included) of every worker uplink, every merged aggregate and every downlink of two steps of
 * three workers, on fixed-seed inputs, over several single-segment lengths, a layer-wise-like
 * multi-tensor layout and its entire-model and bucketed regroupings. The constants were computed
 * on commit cf757bb, before the package restructure; any change to a message's bytes, a Kryo id,
 * an encoder's maths or a merge rule changes them.
 */
class GoldenWireDigestTest {

    private static final Map<String, String> GOLDEN = new LinkedHashMap<>();

    static {
        GOLDEN.put("none", "0e63fe21b5341d0163099f4b01b4a2e5");
        GOLDEN.put("fp16", "02b908cd9915216d88d08a20cbc19dea");
        GOLDEN.put("bf16", "486bc86d8ed9f9fbb8d00eee60344e8e");
        GOLDEN.put("8bit", "a4d9c9b1eedca59c70ac37117bc9d338");
        GOLDEN.put("8bit:rounding=stochastic", "a4ac6a5e80f7997d5772819447acba45");
        GOLDEN.put("qsgd:s=256", "2a4a6432edb140a8d1e6a7d60f807fe2");
        GOLDEN.put("qsgd:s=7,bucket=512", "0bb292fd6e67c5cd06c5b86abcdacecc");
        GOLDEN.put("terngrad", "5a4b43f27ca6f4b1daa7459b05eb3d53");
        GOLDEN.put("terngrad:bucket=512", "1366dc93b323709abf99dcd84cc1bfef");
        GOLDEN.put("natural", "a00b656663674897c4619a378c8996a6");
        GOLDEN.put("signsgd", "60ee84c246982edf880c610f8bd0fd4a");
        GOLDEN.put("signum", "b07309a3404a37c637f9dbddc4d0de81");
        GOLDEN.put("efsign", "8167ba3fd10ad2e4b0bdf665437ed214");
        GOLDEN.put("onebit", "5ebf5ab4609bcf7ad0a661aedba096b7");
        GOLDEN.put("topk:0.01", "2d26c528c25ee7930241b7ed7615c973");
        GOLDEN.put("topk:0.05,values=fp32", "2a148b64ce8fac7dbd299e7178a8c131");
        GOLDEN.put("topk:0.05,values=bf16", "6e238a84b1f828325c41c6ab9f0b5716");
        GOLDEN.put("randomk:0.01", "c2cbf78319b5106b65e699f678e8b713");
        GOLDEN.put("randomk:0.05,scaled=true", "7be9f4a305a9d2653570ff94e1c5a6ce");
        GOLDEN.put("threshold:v=0.01", "96af40011d8d7c4d7b62c5e6c7cc533e");
        GOLDEN.put("threshold:v=1.5", "fdfb2cdeab9d25d60379666c0021b201");
        GOLDEN.put("adaptive", "4d08cf888f9508612740d6019c0a0be1");
        GOLDEN.put("adaptive-tau:density=0.01", "c90c61fde2a376e91d7e1e6fcf704a26");
        GOLDEN.put("dgc:0.01", "795ed350d119e9336a3c864a4735a059");
        GOLDEN.put("powersgd:rank=2", "eca7a4ec66cc08df9bcaa03bea1cf1f8");
    }

    /** Single segments of these lengths, then the multi-tensor layout and its regroupings. */
    private static final int[] LENGTHS = {1, 7, 64, 1000, 10_007};

    static List<Layout> layouts() {
        List<Layout> layouts = new ArrayList<>();
        for (int n : LENGTHS) {
            layouts.add(Layout.single("x", n));
        }
        Layout tensors = tensors();
        layouts.add(Granularity.layerWise().apply(tensors));
        layouts.add(Granularity.entireModel().apply(tensors));
        layouts.add(Granularity.bucketed(3000).apply(tensors));
        return layouts;
    }

    /** A small CNN-like model: conv kernel, bias, dense weight, bias, output weight, bias. */
    static Layout tensors() {
        int[][] shapes = {{6, 1, 5, 5}, {6}, {120, 40}, {120}, {10, 120}, {10}};
        List<Segment> s = new ArrayList<>();
        int off = 0;
        for (int i = 0; i < shapes.length; i++) {
            int len = 1;
            for (int d : shapes[i]) {
                len *= d;
            }
            s.add(new Segment("t" + i, off, len, shapes[i]));
            off += len;
        }
        return Layout.of(s);
    }

    static float[] input(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian() * (i % 97 == 0 ? 10 : 0.1);
            x[i] = i % 13 == 5 ? 0f : (float) g;
        }
        return x;
    }

    /** The digest of everything {@code spec} puts on the wire over {@link #layouts()}. */
    static String digest(String spec) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        Kryo kryo = WireFormat.newKryo();
        CompressorSpec cs = Compressors.parse(spec);
        int workers = 3;
        long layoutSeed = 0;
        for (Layout layout : layouts()) {
            layoutSeed++;
            RoundProtocol[] w = new RoundProtocol[workers];
            for (int k = 0; k < workers; k++) {
                w[k] = RoundProtocol.of(cs.create(layout));
            }
            RoundProtocol driver = RoundProtocol.of(cs.create(layout));
            float[] update = new float[layout.totalLength()];
            for (int step = 0; step < 2; step++) {
                float[][] g = new float[workers][];
                for (int k = 0; k < workers; k++) {
                    g[k] = input(layout.totalLength(), 1000 * layoutSeed + 10 * step + k);
                }
                for (int j = 0; j < layout.size(); j++) {
                    Segment seg = layout.get(j);
                    int rounds = driver.rounds();
                    Message[] down = new Message[rounds];
                    for (int r = 0; r < rounds; r++) {
                        Message agg = null;
                        for (int k = 0; k < workers; k++) {
                            Message u = w[k].uplink(r, g[k], seg.offset(), seg.length(),
                                    java.util.Arrays.copyOf(down, r), new EncodeContext(step, j, k, 42L));
                            md.update(bytes(kryo, u));
                            agg = agg == null ? u : driver.merge(agg, u);
                            md.update(bytes(kryo, agg));
                        }
                        down[r] = driver.downlink(r, agg);
                        md.update(bytes(kryo, down[r]));
                    }
                    for (int k = 0; k < workers; k++) {
                        w[k].finish(j, down, update, seg.offset());
                    }
                    driver.finish(j, down, update, seg.offset());
                    for (int i = seg.offset(); i < seg.end(); i++) {
                        int b = Float.floatToIntBits(update[i]);
                        md.update(new byte[] {(byte) b, (byte) (b >>> 8), (byte) (b >>> 16), (byte) (b >>> 24)});
                    }
                }
            }
        }
        return HexFormat.of().formatHex(md.digest(), 0, 16);
    }

    static byte[] bytes(Kryo kryo, Message m) {
        Output out = new Output(1 << 12, -1);
        kryo.writeClassAndObject(out, m);
        return out.toBytes();
    }

    @Test
    void wireBytesOfEverySpecMatchTheGoldenDigests() throws Exception {
        StringBuilder actual = new StringBuilder();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : GOLDEN.entrySet()) {
            String d = digest(e.getKey());
            actual.append("        GOLDEN.put(\"").append(e.getKey()).append("\", \"").append(d).append("\");\n");
            if (!d.equals(e.getValue())) {
                wrong.add(e.getKey());
            }
        }
        assertEquals(List.of(), wrong, () -> "digests changed; actual:\n" + actual);
    }
}
