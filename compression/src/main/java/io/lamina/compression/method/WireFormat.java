package io.lamina.compression.method;

import com.esotericsoftware.kryo.Kryo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers every message type of the registry ({@link Methods#messageTypes()}) with its own
 * serializer at its fixed id, so that Kryo with {@code registrationRequired=true} accepts them and
 * every JVM agrees on the ids. Spark's {@code KryoRegistrator} in the application calls
 * {@link #register}.
 *
 * <p>Ids 1000-1099 belong to the compression library (messages); 1100-1199 to the engine.
 */
public final class WireFormat {

    public static final int FIRST_ID = 1000;
    public static final int LAST_ID = 1099;

    private WireFormat() {
    }

    public static void register(Kryo kryo) {
        for (MessageType<?> t : Methods.messageTypes()) {
            register(kryo, t);
        }
    }

    private static <T extends io.lamina.compression.Message> void register(Kryo kryo, MessageType<T> t) {
        kryo.register(t.type(), t.serializer().get(), t.kryoId());
    }

    /** A Kryo with the library's messages registered and registration required: for tests and benchmarks. */
    public static Kryo newKryo() {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        register(kryo);
        return kryo;
    }

    /**
     * The distinct message types of {@code methods}, in id order. A class may be declared by
     * several methods, always with the same id and serializer class.
     *
     * @throws IllegalStateException if two classes share an id, or one class has two ids or two serializers
     */
    static List<MessageType<?>> messageTypes(List<Method> methods) {
        Map<Integer, MessageType<?>> byId = new HashMap<>();
        Map<Class<?>, MessageType<?>> byClass = new HashMap<>();
        Map<Class<?>, String> declaredBy = new HashMap<>();
        for (Method m : methods) {
            for (MessageType<?> t : m.messages()) {
                MessageType<?> sameId = byId.putIfAbsent(t.kryoId(), t);
                if (sameId != null && sameId.type() != t.type()) {
                    throw new IllegalStateException("Kryo id " + t.kryoId() + " is given to both "
                            + sameId.type().getName() + " and " + t.type().getName() + " (method " + m.name() + ")");
                }
                MessageType<?> sameClass = byClass.putIfAbsent(t.type(), t);
                if (sameClass != null && sameClass.kryoId() != t.kryoId()) {
                    throw new IllegalStateException(t.type().getName() + " is registered with ids " + sameClass.kryoId()
                            + " (method " + declaredBy.get(t.type()) + ") and " + t.kryoId() + " (method " + m.name() + ")");
                }
                if (sameClass != null && sameClass.serializer().get().getClass() != t.serializer().get().getClass()) {
                    throw new IllegalStateException(t.type().getName() + " is registered with two serializers (methods "
                            + declaredBy.get(t.type()) + " and " + m.name() + ")");
                }
                declaredBy.putIfAbsent(t.type(), m.name());
            }
        }
        List<MessageType<?>> out = new ArrayList<>(byClass.values());
        out.sort(Comparator.comparingInt(MessageType::kryoId));
        return List.copyOf(out);
    }
}
