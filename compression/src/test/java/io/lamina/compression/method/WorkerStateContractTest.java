package io.lamina.compression.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.esotericsoftware.kryo.Kryo;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Memory;
import io.lamina.compression.Message;
import io.lamina.compression.RoundProtocol;
import io.lamina.compression.Segment;
import io.lamina.compression.granularity.Granularity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a checkpoint saves of a worker is enough to continue exactly: after two steps, a fresh
 * instance given the first's {@code workerState()} (and the shared state every replica holds)
 * sends the same bytes at the third step, for every registered method; the same for every memory.
 */
class WorkerStateContractTest {

    static Stream<Arguments> specs() {
        List<Arguments> out = new ArrayList<>();
        for (Method m : Methods.all()) {
            for (String spec : m.examples()) {
                out.add(Arguments.of(spec));
            }
        }
        return out.stream();
    }

    private static float[] gradient(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (float) (r.nextGaussian() * 0.01);
        }
        return g;
    }

    /** One step of one worker alone (its own message is the aggregate); returns the uplinks' bytes. */
    private static byte[] step(RoundProtocol p, Layout layout, long step, Kryo kryo) {
        float[] g = gradient(layout.totalLength(), step);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        float[] update = new float[layout.totalLength()];
        if (p.plansStep()) {
            p.planStep(g, step);
        }
        for (int j = 0; j < layout.size(); j++) {
            Segment s = layout.get(j);
            Message[] down = new Message[p.rounds()];
            for (int r = 0; r < p.rounds(); r++) {
                Message u = p.uplink(r, g, s.offset(), s.length(), Arrays.copyOf(down, r), new EncodeContext(step, j, 0, 7));
                bytes.writeBytes(RegistryContractTest.bytes(kryo, u));
                down[r] = p.downlink(r, u);
            }
            p.finish(j, down, update, s.offset());
        }
        return bytes.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void aRestoredWorkerSendsWhatTheOriginalWouldHave(String spec) {
        Layout layout = Granularity.layerWise().apply(GoldenWireDigestTest.tensors());
        CompressorSpec cs = Methods.parse(spec);
        Kryo kryo = WireFormat.newKryo();
        RoundProtocol original = RoundProtocol.of(cs.create(layout));
        step(original, layout, 0, kryo);
        step(original, layout, 1, kryo);
        RoundProtocol restored = RoundProtocol.of(cs.create(layout));
        restored.restoreWorkerState(original.workerState());
        restored.restoreSharedState(original.sharedState());
        assertArrayEquals(step(original, layout, 2, kryo), step(restored, layout, 2, kryo), spec);
    }

    @Test
    void everyMemoryRestoresExactlyAndRefusesAStateOfAnotherLayout() {
        Layout layout = Granularity.layerWise().apply(GoldenWireDigestTest.tensors());
        for (String spec : List.of("none", "residual", "residual:beta=0.9,gamma=0.5", "efsign:lr=0.1", "dgc:momentum=0.9")) {
            Memory a = Memories.parse(spec).create(layout);
            Memory b = Memories.parse(spec).create(layout);
            float[] g = gradient(layout.totalLength(), 3);
            for (int j = 0; j < layout.size(); j++) {
                Segment s = layout.get(j);
                float[] e = new float[s.length()];
                a.compensate(j, g, s.offset(), s.length(), e);
                float[] sent = new float[s.length()];
                sent[0] = e[0]; // a sparse "message": the first element
                a.update(j, e, sent, s.length());
            }
            b.restoreState(a.state());
            for (int j = 0; j < layout.size(); j++) {
                Segment s = layout.get(j);
                float[] ea = new float[s.length()];
                float[] eb = new float[s.length()];
                a.compensate(j, g, s.offset(), s.length(), ea);
                b.compensate(j, g, s.offset(), s.length(), eb);
                assertArrayEquals(ea, eb, spec + " segment " + j);
            }
            if (a.state() != null) {
                Memory other = Memories.parse(spec).create(Granularity.entireModel().apply(GoldenWireDigestTest.tensors()));
                assertThrows(IllegalArgumentException.class, () -> other.restoreState(a.state()), spec);
            }
        }
    }
}
