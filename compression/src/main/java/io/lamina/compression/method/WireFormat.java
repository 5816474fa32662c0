package io.lamina.compression.method;

import io.lamina.compression.lowrank.FactorMessageSerializer;
import io.lamina.compression.message.DenseMessageSerializer;
import io.lamina.compression.message.GatheredMessageSerializer;
import io.lamina.compression.quant.EightBitMessageSerializer;
import io.lamina.compression.quant.HalfMessageSerializer;
import io.lamina.compression.quant.NaturalMessageSerializer;
import io.lamina.compression.quant.QsgdMessageSerializer;
import io.lamina.compression.quant.TernaryMessageSerializer;
import io.lamina.compression.sign.OneBitMessageSerializer;
import io.lamina.compression.sign.ScaledSignMessageSerializer;
import io.lamina.compression.sign.SignMessageSerializer;
import io.lamina.compression.sign.VoteMessageSerializer;
import io.lamina.compression.sparse.SharedIndexMessageSerializer;
import io.lamina.compression.sparse.SparseMessageSerializer;
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
        kryo.register(io.lamina.compression.sparse.SparseMessage.class, new SparseMessageSerializer(), 1001);
        kryo.register(io.lamina.compression.sparse.SharedIndexMessage.class, new SharedIndexMessageSerializer(), 1002);
        kryo.register(io.lamina.compression.quant.HalfMessage.class, new HalfMessageSerializer(), 1020);
        kryo.register(io.lamina.compression.quant.QsgdMessage.class, new QsgdMessageSerializer(), 1021);
        kryo.register(io.lamina.compression.quant.TernaryMessage.class, new TernaryMessageSerializer(), 1022);
        kryo.register(io.lamina.compression.quant.NaturalMessage.class, new NaturalMessageSerializer(), 1023);
        kryo.register(io.lamina.compression.quant.EightBitMessage.class, new EightBitMessageSerializer(), 1024);
        kryo.register(io.lamina.compression.sign.SignMessage.class, new SignMessageSerializer(), 1025);
        kryo.register(io.lamina.compression.sign.VoteMessage.class, new VoteMessageSerializer(), 1026);
        kryo.register(io.lamina.compression.sign.ScaledSignMessage.class, new ScaledSignMessageSerializer(), 1027);
        kryo.register(io.lamina.compression.sign.OneBitMessage.class, new OneBitMessageSerializer(), 1028);
        kryo.register(io.lamina.compression.message.GatheredMessage.class, new GatheredMessageSerializer(), 1029);
        kryo.register(io.lamina.compression.lowrank.FactorMessage.class, new FactorMessageSerializer(), 1050);
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
