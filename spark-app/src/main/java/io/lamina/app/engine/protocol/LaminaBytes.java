package io.lamina.app.engine.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.method.WireFormat;

/**
 * Lamina's own bytes: everything Lamina hands Spark (task results, shuffle records, broadcasts,
 * cached blocks) is a plain {@code byte[]} written here, so it passes any Spark serializer
 * untouched (Java, Kryo with or without a registrator, registration required or not).
 *
 * <p>A per-thread Kryo of Lamina's own, independent of Spark's configuration: registration
 * required, no references, the compression library's messages ({@link WireFormat#register}) and
 * the protocol's types ({@link ProtocolWire#register}) at their fixed ids, and {@code float[]}. An object is written
 * with its class id ({@code writeClassAndObject}), so the length of these bytes is what the metrics count.
 */
public final class LaminaBytes {

    private static final ThreadLocal<LaminaBytes> LOCAL = ThreadLocal.withInitial(LaminaBytes::new);
    private static final int INITIAL_BUFFER = 1 << 16;
    /**
     * The largest write buffer a thread keeps between writes: 4 MiB, so that a dense message of a
     * model up to about a million parameters (LeNet's: 1.7 MB) is written every step without the
     * buffer growing again from 64 KiB. A larger one (a data block, the embedded data set, a
     * snapshot) is dropped after its write, or every thread that once wrote one would hold it for
     * good: 34 MB on the driver after broadcasting the embedded data, a block's size on every
     * executor thread that cut one.
     */
    static final int KEPT_BUFFER = 4 << 20;

    private final Kryo kryo = new Kryo();
    private final Output out = new Output(INITIAL_BUFFER, -1);

    private LaminaBytes() {
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        WireFormat.register(kryo);
        ProtocolWire.register(kryo);
        kryo.register(float[].class, 1107); // the parameters an evaluation broadcasts
    }

    /** A Kryo with exactly Lamina's registrations (for tests and tools). */
    public static Kryo newKryo() {
        return new LaminaBytes().kryo;
    }

    /** {@code o} (a registered type) as Lamina's bytes. */
    public static byte[] write(Object o) {
        LaminaBytes b = LOCAL.get();
        b.out.clear();
        b.kryo.writeClassAndObject(b.out, o);
        byte[] bytes = b.out.toBytes();
        if (b.out.getBuffer().length > KEPT_BUFFER) {
            b.out.setBuffer(new byte[INITIAL_BUFFER], -1);
        }
        return bytes;
    }

    /** Length of the write buffer this thread keeps (for tests). */
    static int keptBufferLength() {
        return LOCAL.get().out.getBuffer().length;
    }

    /**
     * The object in {@code bytes}, which must be a {@code type} and fill them exactly.
     *
     * @throws CorruptMessageException if they do not hold one
     */
    public static <T> T read(byte[] bytes, Class<T> type) {
        Input in = new Input(bytes);
        Object o;
        try {
            o = LOCAL.get().kryo.readClassAndObject(in);
        } catch (KryoException e) {
            throw new CorruptMessageException("not a " + type.getSimpleName() + " in Lamina's bytes: " + e.getMessage(), e);
        }
        if (!type.isInstance(o)) {
            throw new CorruptMessageException("expected a " + type.getSimpleName() + " in Lamina's bytes, got "
                    + (o == null ? "null" : o.getClass().getName()));
        }
        if (in.position() != bytes.length) {
            throw new CorruptMessageException(type.getSimpleName() + " ends at byte " + in.position() + " of "
                    + bytes.length);
        }
        return type.cast(o);
    }
}
