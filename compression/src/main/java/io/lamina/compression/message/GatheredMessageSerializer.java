package io.lamina.compression.message;

import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.WireLimits;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire form: the parts' Kryo class id (varint), varint count, then each part's body written by
 * its own registered serializer. Reading accepts only a registered {@link CodedMessage} class,
 * checks the count against {@link #MAX_PARTS}, each part (one worker, same length as the first)
 * and lets the list grow only as parts actually arrive.
 */
public final class GatheredMessageSerializer extends Serializer<GatheredMessage> {

    /** At most this many parts (workers) in one gathered message. */
    public static final int MAX_PARTS = 1 << 20;

    public GatheredMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, GatheredMessage m) {
        List<CodedMessage> parts = m.parts();
        kryo.writeClass(out, parts.get(0).getClass());
        out.writeVarInt(parts.size(), true);
        for (CodedMessage p : parts) {
            kryo.writeObject(out, p);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public GatheredMessage read(Kryo kryo, Input in, Class<GatheredMessage> type) {
        Registration reg;
        try {
            reg = kryo.readClass(in);
        } catch (KryoException e) {
            throw new CorruptMessageException("gathered message: bad part class id", e);
        }
        if (reg == null || !CodedMessage.class.isAssignableFrom(reg.getType())) {
            throw new CorruptMessageException("gathered message: part class "
                    + (reg == null ? "null" : reg.getType().getName()) + " is not a coded message");
        }
        Class<? extends CodedMessage> cls = (Class<? extends CodedMessage>) reg.getType();
        int count = WireLimits.readCount(in, 1, MAX_PARTS, "gathered part count");
        List<CodedMessage> parts = new ArrayList<>(Math.min(count, 64));
        int length = -1;
        for (int i = 0; i < count; i++) {
            CodedMessage p = kryo.readObject(in, cls);
            if (length < 0) {
                length = p.length();
            }
            if (p.workers() != 1 || p.length() != length) {
                throw new CorruptMessageException("gathered part " + i + " has length " + p.length()
                        + " and " + p.workers() + " workers; expected one worker and the first part's length");
            }
            parts.add(p);
        }
        return new GatheredMessage(parts);
    }
}
