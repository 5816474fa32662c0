package io.lamina.compression.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.RoundProtocol;
import io.lamina.compression.Segment;
import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.granularity.Granularity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every registered method keeps, run over every example spec of {@link Methods} at
 * every granularity (layer-wise over a multi-tensor layout, entire model, bucketed), through
 * {@link RoundProtocol} (so two-round methods are covered): Kryo round trips are exact, every
 * message is of a declared type, merging is commutative and associative (bit-exact where the
 * method says {@link Method#exactMerge()}, i.e. vote counts; within float rounding otherwise:
 * sums of fp32 values and the mean over gathered parts depend on the order), corrupt bytes fail
 * with an exception (never an Error, a hang or a huge allocation), and a message's reported
 * {@code wireBytes()} equals Kryo's output.
 */
class RegistryContractTest {

    static Stream<Arguments> cases() {
        Layout tensors = GoldenWireDigestTest.tensors();
        List<Arguments> out = new ArrayList<>();
        for (Method m : Methods.all()) {
            for (String spec : m.examples()) {
                out.add(Arguments.of(m, spec, "layer", Granularity.layerWise().apply(tensors)));
                out.add(Arguments.of(m, spec, "model", Granularity.entireModel().apply(tensors)));
                out.add(Arguments.of(m, spec, "bucket:3000", Granularity.bucketed(3000).apply(tensors)));
            }
        }
        return out.stream();
    }

    static byte[] bytes(Kryo kryo, Message m) {
        Output out = new Output(1 << 12, -1);
        kryo.writeClassAndObject(out, m);
        return out.toBytes();
    }

    static Message read(Kryo kryo, byte[] b) {
        return (Message) kryo.readClassAndObject(new Input(b));
    }

    private static float[] input(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * (i % 61 == 0 ? 3 : 0.2));
        }
        return x;
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("cases")
    void contract(Method method, String spec, String granularity, Layout layout) {
        Kryo kryo = WireFormat.newKryo();
        Set<Class<?>> declared = method.messages().stream().map(MessageType::type).collect(Collectors.toSet());
        CompressorSpec cs = Methods.parse(spec);
        int workers = 3;
        RoundProtocol[] w = new RoundProtocol[workers];
        for (int k = 0; k < workers; k++) {
            w[k] = RoundProtocol.of(cs.create(layout));
        }
        RoundProtocol driverA = RoundProtocol.of(cs.create(layout));
        RoundProtocol driverB = RoundProtocol.of(cs.create(layout));
        float[] updA = new float[layout.totalLength()];
        float[] updB = new float[layout.totalLength()];
        for (int step = 0; step < 2; step++) {
            float[][] g = new float[workers][];
            for (int k = 0; k < workers; k++) {
                g[k] = input(layout.totalLength(), 100L * step + k);
                if (w[k].plansStep()) {
                    w[k].planStep(g[k], step);
                }
            }
            for (int j = 0; j < layout.size(); j++) {
                Segment seg = layout.get(j);
                String what = spec + " " + granularity + " step " + step + " segment " + j;
                int rounds = driverA.rounds();
                Message[] downA = new Message[rounds];
                Message[] downB = new Message[rounds];
                for (int r = 0; r < rounds; r++) {
                    byte[][] up = new byte[workers][];
                    for (int k = 0; k < workers; k++) {
                        Message u = w[k].uplink(r, g[k], seg.offset(), seg.length(), Arrays.copyOf(downA, r),
                                new EncodeContext(step, j, k, 42L));
                        up[k] = checkMessage(kryo, u, declared, what + " uplink of worker " + k);
                        if (r == rounds - 1 && !driverA.feedbackAfterAggregate()) {
                            float[] sent = new float[seg.length()];
                            float[] sentBack = new float[seg.length()];
                            w[k].sentByWorker(u, sent);
                            w[k].sentByWorker(read(kryo, up[k]), sentBack);
                            assertArrayEquals(sent, sentBack, what + ": decode after the Kryo round trip");
                        }
                    }
                    // ((0 + 1) + 2) against (2 + (1 + 0)): commuted and re-associated, on fresh copies
                    Message a = driverA.merge(driverA.merge(read(kryo, up[0]), read(kryo, up[1])), read(kryo, up[2]));
                    Message b = driverB.merge(read(kryo, up[2]), driverB.merge(read(kryo, up[1]), read(kryo, up[0])));
                    checkMessage(kryo, a, declared, what + " aggregate");
                    checkMessage(kryo, b, declared, what + " aggregate");
                    assertEquals(workers, a.workers(), what);
                    downA[r] = driverA.downlink(r, a);
                    downB[r] = driverB.downlink(r, b);
                    checkMessage(kryo, downA[r], declared, what + " downlink");
                }
                for (RoundProtocol p : w) {
                    p.finish(j, downA, new float[layout.totalLength()], 0);
                }
                driverA.finish(j, downA, updA, seg.offset());
                driverB.finish(j, downB, updB, seg.offset());
                assertMergeOrderFree(method, updA, updB, seg, what);
            }
        }
    }

    private static void assertMergeOrderFree(Method method, float[] a, float[] b, Segment seg, String what) {
        if (method.exactMerge()) {
            assertArrayEquals(Arrays.copyOfRange(a, seg.offset(), seg.end()), Arrays.copyOfRange(b, seg.offset(), seg.end()),
                    what + ": merge must be bit-exact in any order");
            return;
        }
        double scale = 0;
        for (int i = seg.offset(); i < seg.end(); i++) {
            scale = Math.max(scale, Math.abs(a[i]));
        }
        for (int i = seg.offset(); i < seg.end(); i++) {
            double tol = 1e-5 * scale + 1e-30;
            if (!(Math.abs(a[i] - b[i]) <= tol)) {
                fail(what + ": merge order changed element " + (i - seg.offset()) + ": " + a[i] + " vs " + b[i]);
            }
        }
    }

    /** Round trip, declared type, reported size, corrupt input; returns the bytes. */
    private static byte[] checkMessage(Kryo kryo, Message m, Set<Class<?>> declared, String what) {
        assertTrue(declared.contains(m.getClass()), what + ": " + m.getClass().getName() + " is not declared by its method");
        byte[] b = bytes(kryo, m);
        Message back = read(kryo, b);
        assertEquals(m.getClass(), back.getClass(), what);
        assertEquals(m.length(), back.length(), what);
        assertEquals(m.workers(), back.workers(), what);
        assertArrayEquals(b, bytes(kryo, back), what + ": re-serialised bytes differ");
        reportedSize(m, b, what);
        corrupt(kryo, b, what);
        return b;
    }

    /** {@code wireBytes()}, where a message reports it, is its body: Kryo's output minus the class id. */
    private static void reportedSize(Message m, byte[] b, String what) {
        try {
            java.lang.reflect.Method wb = m.getClass().getMethod("wireBytes");
            int id = new Input(b).readVarInt(true);
            long body = b.length - WireLimits.varIntSize(id);
            assertEquals(body, ((Number) wb.invoke(m)).longValue(), what + ": reported wire bytes");
        } catch (NoSuchMethodException e) {
            // this message type does not report its size
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void corrupt(Kryo kryo, byte[] b, String what) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            int id = WireLimits.varIntSize(new Input(b).readVarInt(true));
            // truncated: every proper prefix that keeps the class id must fail
            for (int cut : new int[] {id, id + 1, (id + b.length) / 2, b.length - 1}) {
                if (cut >= id && cut < b.length) {
                    expectFailure(kryo, Arrays.copyOf(b, cut), what + " truncated to " + cut + " of " + b.length);
                }
            }
            // absurd counts right after the class id
            byte[] absurd = Arrays.copyOf(b, id + 20);
            for (int i = id; i < absurd.length; i++) {
                absurd[i] = (byte) (i % 5 == id % 5 + 4 ? 0x07 : 0xFF);
            }
            expectFailure(kryo, absurd, what + " with absurd counts");
            // flipped bytes: an exception, or a well-formed message of a sane length (a flipped value bit cannot be detected)
            SplittableRandom r = new SplittableRandom(b.length);
            for (int t = 0; t < 8; t++) {
                byte[] f = b.clone();
                int pos = id + r.nextInt(Math.max(1, b.length - id));
                if (pos >= f.length) {
                    continue;
                }
                f[pos] ^= (byte) (1 << r.nextInt(8));
                try {
                    Message m = read(kryo, f);
                    assertTrue(m.length() >= 0 && m.length() <= WireLimits.MAX_SEGMENT_LENGTH, what);
                } catch (RuntimeException expected) {
                    // CorruptMessageException or KryoException: a clear failure
                }
            }
        });
    }

    private static void expectFailure(Kryo kryo, byte[] b, String what) {
        try {
            read(kryo, b);
        } catch (CorruptMessageException | KryoException | IllegalArgumentException expected) {
            return;
        } catch (OutOfMemoryError e) {
            fail(what + ": out of memory");
        }
        fail(what + ": decoded without an exception");
    }
}
