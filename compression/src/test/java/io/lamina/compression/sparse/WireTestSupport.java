package io.lamina.compression.sparse;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Message;
import io.lamina.compression.method.WireFormat;
import java.util.Random;

/** Kryo round trips and test vectors. */
final class WireTestSupport {

    private WireTestSupport() {
    }

    static byte[] write(Kryo kryo, Message m) {
        Output out = new Output(1024, -1);
        kryo.writeObject(out, m);
        return out.toBytes();
    }

    static byte[] write(Message m) {
        return write(WireFormat.newKryo(), m);
    }

    static <T> T read(Kryo kryo, byte[] bytes, Class<T> type) {
        return kryo.readObject(new Input(bytes), type);
    }

    static float[] gaussian(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    static EncodeContext ctx(long step, int segment, int worker) {
        return new EncodeContext(step, segment, worker, 42L);
    }
}
