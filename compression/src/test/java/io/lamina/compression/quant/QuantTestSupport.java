package io.lamina.compression.quant;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.Compressor;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.method.WireFormat;
import java.util.SplittableRandom;

/** Shared helpers for the quantiser and sign tests: Kryo round trips, random vectors. */
public final class QuantTestSupport {

    public static final Kryo KRYO = WireFormat.newKryo();

    private QuantTestSupport() {
    }

    /** The body bytes of {@code m} written by its registered serializer. */
    public static byte[] body(Message m) {
        Output out = new Output(256, -1);
        KRYO.writeObject(out, m);
        return out.toBytes();
    }

    /** Reads a body back as {@code type}; the input must be fully consumed. */
    public static <T> T read(byte[] bytes, Class<T> type) {
        Input in = new Input(bytes);
        T m = KRYO.readObject(in, type);
        if (in.position() != bytes.length) {
            throw new AssertionError("serializer left " + (bytes.length - in.position()) + " bytes unread");
        }
        return m;
    }

    /** Serializes and reads back. */
    @SuppressWarnings("unchecked")
    public static <T extends Message> T roundTrip(T m) {
        return (T) read(body(m), m.getClass());
    }

    /** Gaussian values with a few exact zeros, negative zeros and a spread of magnitudes. */
    public static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double g = nextGaussian(r) * Math.pow(10, r.nextInt(-4, 1));
            v[i] = (float) g;
        }
        if (n > 10) {
            v[3] = 0f;
            v[7] = -0f;
        }
        return v;
    }

    public static double nextGaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    public static Compressor create(String spec, int length) {
        return Compressors.parse(spec).create(Layout.single("w", length));
    }

    public static EncodeContext ctx(long step, int worker) {
        return new EncodeContext(step, 0, worker, 42L);
    }

    public static float[] decode(Compressor c, Message m) {
        float[] out = new float[m.length()];
        c.decode(m, out, 0);
        return out;
    }
}
