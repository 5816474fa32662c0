package io.lamina.compression.sign;

import io.lamina.compression.bits.PackedBits;
import io.lamina.compression.bits.WireLimits;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Wire form: varint length, fp32 positive mean (finite, >= 0), fp32 negative mean (finite,
 * <= 0), then one bit per element.
 */
public final class OneBitMessageSerializer extends Serializer<OneBitMessage> {

    public OneBitMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, OneBitMessage m) {
        out.writeVarInt(m.length(), true);
        out.writeFloat(m.positive());
        out.writeFloat(m.negative());
        PackedBits.write(out, m.words(), m.length());
    }

    @Override
    public OneBitMessage read(Kryo kryo, Input in, Class<OneBitMessage> type) {
        int length = WireLimits.readLength(in, "1-bit");
        float positive = WireLimits.readFloat(in, 0f, Float.MAX_VALUE, "1-bit positive mean");
        float negative = WireLimits.readFloat(in, -Float.MAX_VALUE, 0f, "1-bit negative mean");
        return new OneBitMessage(positive, negative, length, PackedBits.read(in, length, "1-bit bits"));
    }
}
