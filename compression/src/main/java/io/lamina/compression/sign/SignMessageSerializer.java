package io.lamina.compression.sign;

import io.lamina.compression.bits.PackedBits;
import io.lamina.compression.bits.WireLimits;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/** Wire form: varint length, then one sign bit per element (ceil(length / 8) bytes). */
public final class SignMessageSerializer extends Serializer<SignMessage> {

    public SignMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, SignMessage m) {
        out.writeVarInt(m.length(), true);
        PackedBits.write(out, m.words(), m.length());
    }

    @Override
    public SignMessage read(Kryo kryo, Input in, Class<SignMessage> type) {
        int length = WireLimits.readLength(in, "sign");
        return new SignMessage(length, PackedBits.read(in, length, "sign bits"));
    }
}
