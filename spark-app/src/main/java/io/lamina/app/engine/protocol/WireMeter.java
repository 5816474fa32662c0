package io.lamina.app.engine.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import org.apache.spark.SparkEnv;
import org.apache.spark.serializer.KryoSerializer;

/**
 * Measures how many bytes Spark's configured Kryo writes for an object: a per-thread Kryo built
 * by Spark's own {@link KryoSerializer} (same registrations, ids and reference settings), writing
 * into a reused buffer. Byte counts in the metrics come from here, never from estimates.
 */
public final class WireMeter {

    private static final ThreadLocal<WireMeter> LOCAL = ThreadLocal.withInitial(WireMeter::new);

    private final Kryo kryo;
    private final Output out = new Output(1 << 16, -1);

    private WireMeter() {
        this.kryo = new KryoSerializer(SparkEnv.get().conf()).newKryo();
    }

    /** Serialized size of {@code o} as a top-level object (class id + content), in bytes. */
    public static long size(Object o) {
        WireMeter m = LOCAL.get();
        m.out.clear();
        m.kryo.writeClassAndObject(m.out, o);
        return m.out.total();
    }
}
