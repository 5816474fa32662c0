package io.lamina.compression.quant;

import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.PackedBits;
import io.lamina.compression.bits.WireLimits;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Wire form of a {@link TernaryMessage}:
 * <pre>
 *   one scale: varint length | fp32 scale | trits
 *   bucketed:  varint length | fp32 -1 (marker) | varint bucket | fp32 scale x ceil(length / bucket) | trits
 * </pre>
 * trits: ceil(length / 5) bytes of five base-3 trits each. A scale is never negative, so the
 * marker -1 cannot be a one-scale message. The bucketed scales are written with
 * {@link #writeFloats} and read with {@link WireLimits#readFloats}. Reading checks
 * every scale (finite, >= 0), the bucket size against the length (1 <= bucket <= length, before
 * any scale is read), every byte (<= 242) and the unused trits of the last byte (zero).
 */
public final class TernaryMessageSerializer extends Serializer<TernaryMessage> {

    /** The scale field's marker of the bucketed form. */
    static final float BUCKETED = -1f;

    public TernaryMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, TernaryMessage m) {
        out.writeVarInt(m.length(), true);
        if (m.bucket() == 0) {
            out.writeFloat(m.scale());
        } else {
            out.writeFloat(BUCKETED);
            out.writeVarInt(m.bucket(), true);
            WireLimits.writeFloats(out, m.scales(), 0, m.scales().length); // paired with readFloats
        }
        PackedBits.write(out, m.words(), 8L * TernaryMessage.bytes(m.length()));
    }

    @Override
    public TernaryMessage read(Kryo kryo, Input in, Class<TernaryMessage> type) {
        int length = WireLimits.readLength(in, "ternary");
        float first = WireLimits.readFloat(in, BUCKETED, Float.MAX_VALUE, "ternary scale");
        float[] scales;
        int bucket = 0;
        if (first >= 0) {
            scales = new float[] {first};
        } else if (first == BUCKETED) {
            bucket = WireLimits.readCount(in, 1, length, "ternary bucket size");
            int count = TernaryMessage.buckets(length, bucket);
            scales = WireLimits.readBucketScales(in, count, "ternary scale");
        } else {
            throw new CorruptMessageException("ternary scale = " + first + " is negative (only -1 marks buckets)");
        }
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
        return new TernaryMessage(scales, bucket, length, words);
    }
}
