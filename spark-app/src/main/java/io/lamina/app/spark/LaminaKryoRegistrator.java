package io.lamina.app.spark;

import com.esotericsoftware.kryo.Kryo;
import io.lamina.app.engine.protocol.ProtocolWire;
import io.lamina.compression.method.WireFormat;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * For users who want Lamina's types in Spark's own Kryo (their own jobs on compression messages,
 * protocol objects or ND4J arrays): registers the compression library's messages, the engine's
 * protocol types at their fixed ids and DL4J's ND4J arrays (via {@code Nd4jRegistrator}). Lamina's
 * training does not need it: it hands Spark only {@code byte[]} ({@code LaminaBytes}).
 */
public final class LaminaKryoRegistrator implements KryoRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        new org.nd4j.kryo.Nd4jRegistrator().registerClasses(kryo);
        WireFormat.register(kryo);
        ProtocolWire.register(kryo);
        // Small one-off objects that travel once per run.
        kryo.register(float[].class);
        kryo.register(int[].class);
        kryo.register(long[].class);
        kryo.register(double[].class);
        kryo.register(Object[].class);
    }
}
