package io.lamina.compression.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.message.OneBitMessage;

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
        int length = WireChecks.readLength(in, "1-bit");
        float positive = WireChecks.readFloat(in, 0f, Float.MAX_VALUE, "1-bit positive mean");
        float negative = WireChecks.readFloat(in, -Float.MAX_VALUE, 0f, "1-bit negative mean");
        return new OneBitMessage(positive, negative, length, PackedBits.read(in, length, "1-bit bits"));
    }
}
