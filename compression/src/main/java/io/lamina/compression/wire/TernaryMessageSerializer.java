package io.lamina.compression.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.message.TernaryMessage;

/**
 * Wire form: varint length, fp32 scale, then ceil(length / 5) bytes of five base-3 trits each.
 * Reading checks the scale (finite, >= 0), every byte (<= 242) and the unused trits of the last
 * byte (zero).
 */
public final class TernaryMessageSerializer extends Serializer<TernaryMessage> {

    public TernaryMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, TernaryMessage m) {
        out.writeVarInt(m.length(), true);
        out.writeFloat(m.scale());
        PackedBits.write(out, m.words(), 8L * TernaryMessage.bytes(m.length()));
    }

    @Override
    public TernaryMessage read(Kryo kryo, Input in, Class<TernaryMessage> type) {
        int length = WireChecks.readLength(in, "ternary");
        float scale = WireChecks.readFloat(in, 0f, Float.MAX_VALUE, "ternary scale");
        int nb = TernaryMessage.bytes(length);
        long[] words = PackedBits.read(in, 8L * nb, "ternary codes");
        for (int j = 0; j < nb; j++) {
            int b = (int) (words[j >>> 3] >>> ((j & 7) << 3)) & 0xFF;
            int trits = Math.min(5, length - 5 * j);
            int limit = trits == 5 ? 243 : (int) Math.pow(3, trits);
            if (b >= limit) {
                throw new CorruptMessageException("ternary byte " + j + " = " + b
                        + " is not a group of " + trits + " trits (must be < " + limit + ")");
            }
        }
        return new TernaryMessage(scale, length, words);
    }
}
