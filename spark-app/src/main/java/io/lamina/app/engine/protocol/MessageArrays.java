package io.lamina.app.engine.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.Message;
import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.WireLimits;

/** A nullable array of compression messages on the wire: count + 1 (0 = null), then each with its class id. */
final class MessageArrays {

    static final int MAX_SEGMENTS = 1 << 20;

    private MessageArrays() {
    }

    static void write(Kryo kryo, Output out, Message[] messages) {
        if (messages == null) {
            out.writeVarInt(0, true);
            return;
        }
        out.writeVarInt(messages.length + 1, true);
        for (Message m : messages) {
            kryo.writeClassAndObject(out, m);
        }
    }

    static Message[] read(Kryo kryo, Input in, String what) {
        return read(kryo, in, what, null);
    }

    /** As {@link #read(Kryo, Input, String)}; fills {@code sizes[0]} with each message's bytes (class id included) if not null. */
    static Message[] read(Kryo kryo, Input in, String what, long[][] sizes) {
        int n = WireLimits.readCount(in, 0, MAX_SEGMENTS + 1, what + " count");
        if (n == 0) {
            return null;
        }
        Message[] messages = new Message[n - 1];
        long[] bytes = sizes == null ? null : new long[messages.length];
        for (int i = 0; i < messages.length; i++) {
            long start = in.total();
            Object o = kryo.readClassAndObject(in);
            if (bytes != null) {
                bytes[i] = in.total() - start;
            }
            if (!(o instanceof Message m)) {
                throw new CorruptMessageException(what + " " + i + " is not a message: "
                        + (o == null ? "null" : o.getClass().getName()));
            }
            messages[i] = m;
        }
        if (sizes != null) {
            sizes[0] = bytes;
        }
        return messages;
    }
}
