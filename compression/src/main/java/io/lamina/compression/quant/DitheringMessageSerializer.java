package io.lamina.compression.quant;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.PackedBits;
import io.lamina.compression.bits.WireLimits;

/**
 * Wire form: varint length, varint s, fp32 norm, then {@code width(s)} bits per element (see
 * {@link DitheringMessage}). Reads check s's range, the norm (finite, >= 0) and every level index (<= s).
 */
public final class DitheringMessageSerializer extends Serializer<DitheringMessage> {

    public DitheringMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, DitheringMessage m) {
        out.writeVarInt(m.length(), true);
        out.writeVarInt(m.levels(), true);
        out.writeFloat(m.norm());
        PackedBits.write(out, m.words(), (long) DitheringMessage.width(m.levels()) * m.length());
    }

    @Override
    public DitheringMessage read(Kryo kryo, Input in, Class<DitheringMessage> type) {
        int length = WireLimits.readLength(in, "dithering");
        int levels = WireLimits.readCount(in, DitheringCompressor.MIN_LEVELS, DitheringCompressor.MAX_LEVELS, "dithering levels");
        float norm = WireLimits.readFloat(in, 0f, Float.MAX_VALUE, "dithering norm");
        int w = DitheringMessage.width(levels);
        long[] words = PackedBits.read(in, (long) w * length, "dithering codes");
        int indexMask = (1 << (w - 1)) - 1;
        for (int i = 0; i < length; i++) {
            int k = DitheringMessage.code(words, i, w) & indexMask;
            if (k > levels) {
                throw new CorruptMessageException("dithering level index " + k + " of element " + i + " exceeds s = " + levels);
            }
        }
        return new DitheringMessage(length, levels, norm, words);
    }
}
