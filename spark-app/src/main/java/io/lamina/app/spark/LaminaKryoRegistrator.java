package io.lamina.app.spark;

import com.esotericsoftware.kryo.Kryo;
import io.lamina.app.engine.protocol.ProtocolWire;
import io.lamina.compression.method.WireFormat;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers everything Lamina's jobs put through Kryo: the compression library's messages (each
 * with its own serializer), the engine's messages and broadcasts, and DL4J's ND4J arrays (via
 * {@code Nd4jRegistrator}), so that {@code spark.kryo.registrationRequired=true} holds.
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
