package io.lamina.compression.method;

import com.esotericsoftware.kryo.Serializer;
import io.lamina.compression.Message;
import java.util.function.Supplier;

/**
 * One message class on the wire: its Kryo id (fixed forever: ids are the wire format) and a
 * factory of its serializer. Ids 1000-1099 belong to the compression library, 1100-1199 to the
 * engine; see {@link WireFormat}.
 *
 * @param type       the message class (final, immutable)
 * @param kryoId     its Kryo registration id
 * @param serializer creates its serializer (one per Kryo instance)
 */
public record MessageType<T extends Message>(Class<T> type, int kryoId, Supplier<? extends Serializer<T>> serializer) {

    public MessageType {
        if (kryoId < WireFormat.FIRST_ID || kryoId > WireFormat.LAST_ID) {
            throw new IllegalArgumentException("message " + type.getSimpleName() + ": Kryo id " + kryoId
                    + " is outside the library's range [" + WireFormat.FIRST_ID + ", " + WireFormat.LAST_ID + "]");
        }
    }

    public static <T extends Message> MessageType<T> of(Class<T> type, int kryoId, Supplier<? extends Serializer<T>> serializer) {
        return new MessageType<>(type, kryoId, serializer);
    }
}
