package io.lamina.compression.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.message.ScaledSignMessage;

/** Wire form: varint length, fp32 scale (finite, >= 0), then one sign bit per element. */
public final class ScaledSignMessageSerializer extends Serializer<ScaledSignMessage> {

    public ScaledSignMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, ScaledSignMessage m) {
        out.writeVarInt(m.length(), true);
        out.writeFloat(m.scale());
        PackedBits.write(out, m.words(), m.length());
    }

    @Override
    public ScaledSignMessage read(Kryo kryo, Input in, Class<ScaledSignMessage> type) {
        int length = WireChecks.readLength(in, "scaled sign");
        float scale = WireChecks.readFloat(in, 0f, Float.MAX_VALUE, "scaled sign scale");
        return new ScaledSignMessage(scale, length, PackedBits.read(in, length, "scaled sign bits"));
    }
}
