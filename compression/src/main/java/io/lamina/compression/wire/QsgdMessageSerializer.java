package io.lamina.compression.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.message.QsgdMessage;
import io.lamina.compression.quant.QsgdCompressor;

/**
 * Wire form: varint length, varint s, fp32 norm, then the codes at ceil(log2(2s + 1)) bits each.
 * Reading checks s against {@link QsgdCompressor#MAX_S}, the norm (finite, >= 0) and every code
 * (at most 2s).
 */
public final class QsgdMessageSerializer extends Serializer<QsgdMessage> {

    public QsgdMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, QsgdMessage m) {
        out.writeVarInt(m.length(), true);
        out.writeVarInt(m.s(), true);
        out.writeFloat(m.norm());
        PackedBits.write(out, m.words(), (long) m.length() * QsgdMessage.width(m.s()));
    }

    @Override
    public QsgdMessage read(Kryo kryo, Input in, Class<QsgdMessage> type) {
        int length = WireChecks.readLength(in, "qsgd");
        int s = WireLimits.readCount(in, 1, QsgdCompressor.MAX_S, "qsgd levels s");
        float norm = WireChecks.readFloat(in, 0f, Float.MAX_VALUE, "qsgd norm");
        int w = QsgdMessage.width(s);
        long[] words = PackedBits.read(in, (long) length * w, "qsgd codes");
        int max = 2 * s;
        for (int i = 0; i < length; i++) {
            int c = PackedBits.get(words, i, w);
            if (c > max) {
                throw new CorruptMessageException("qsgd code " + c + " at element " + i
                        + " exceeds 2s = " + max);
            }
        }
        return new QsgdMessage(norm, s, length, words);
    }
}
