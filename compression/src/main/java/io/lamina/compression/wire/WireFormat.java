package io.lamina.compression.wire;

import com.esotericsoftware.kryo.Kryo;
import io.lamina.compression.message.DenseMessage;

/**
 * Registers every message type of the library with its own serializer, at fixed ids, so that
 * Kryo with {@code registrationRequired=true} accepts them and every JVM agrees on the ids.
 * Spark's {@code KryoRegistrator} in the application calls {@link #register}.
 *
 * <p>Ids 1000-1099 belong to the compression library (messages); 1100-1199 to the engine.
 */
public final class WireFormat {

    public static final int FIRST_ID = 1000;

    private WireFormat() {
    }

    public static void register(Kryo kryo) {
        kryo.register(DenseMessage.class, new DenseMessageSerializer(), FIRST_ID);
        kryo.register(io.lamina.compression.message.SparseMessage.class, new SparseMessageSerializer(), 1001);
        kryo.register(io.lamina.compression.message.SharedIndexMessage.class, new SharedIndexMessageSerializer(), 1002);
        kryo.register(io.lamina.compression.message.FactorMessage.class, new FactorMessageSerializer(), 1050);
    }

    /** A Kryo with the library's messages registered and registration required: for tests and benchmarks. */
    public static Kryo newKryo() {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        register(kryo);
        return kryo;
    }
}
