package io.lamina.compression.quant;

import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.PackedBits;
import io.lamina.compression.bits.WireLimits;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Wire form of a {@link QsgdMessage}:
 * <pre>
 *   whole segment: varint length | varint s              | fp32 norm             | codes
 *   bucketed:      varint length | varint s + 2^16 | varint bucket | fp32 norm x ceil(length / bucket) | codes
 * </pre>
 * codes at ceil(log2(2s + 1)) bits each, {@code ceil(length * w / 8)} bytes. The bucketed norms
 * are written with {@link #writeFloats} (big-endian) and read with
 * {@link WireLimits#readFloats}. Reading checks s against {@link QsgdCompressor#MAX_S}, the
 * bucket size against the length (1 <= bucket <= length, so the norm count is at most the
 * length, and norms are allocated only as their bytes arrive), every norm (finite, >= 0) and
 * every code (at most 2s).
 */
public final class QsgdMessageSerializer extends Serializer<QsgdMessage> {

    public QsgdMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, QsgdMessage m) {
        out.writeVarInt(m.length(), true);
        if (m.bucket() == 0) {
            out.writeVarInt(m.s(), true);
            out.writeFloat(m.norm());
        } else {
            out.writeVarInt(m.s() + QsgdMessage.BUCKETED_FLAG, true);
            out.writeVarInt(m.bucket(), true);
            WireLimits.writeFloats(out, m.norms(), 0, m.norms().length); // paired with readFloats
        }
        PackedBits.write(out, m.words(), (long) m.length() * QsgdMessage.width(m.s()));
    }

    @Override
    public QsgdMessage read(Kryo kryo, Input in, Class<QsgdMessage> type) {
        int length = WireLimits.readLength(in, "qsgd");
        int level = WireLimits.readCount(in, 1, QsgdMessage.BUCKETED_FLAG + QsgdCompressor.MAX_S, "qsgd levels s");
        int s = level & (QsgdMessage.BUCKETED_FLAG - 1);
        if (s < 1 || s > QsgdCompressor.MAX_S) {
            throw new CorruptMessageException("qsgd levels s = " + s + " is outside [1, " + QsgdCompressor.MAX_S + "]");
        }
        float[] norms;
        int bucket = 0;
        if (level < QsgdMessage.BUCKETED_FLAG) {
            norms = new float[] {WireLimits.readFloat(in, 0f, Float.MAX_VALUE, "qsgd norm")};
        } else {
            bucket = WireLimits.readCount(in, 1, length, "qsgd bucket size");
            int count = QsgdMessage.buckets(length, bucket);
            norms = WireLimits.readBucketScales(in, count, "qsgd norm");
        }
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
        return new QsgdMessage(norms, s, bucket, length, words);
    }
}
