package io.lamina.compression.sign;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.PackedBits;
import io.lamina.compression.bits.WireLimits;

/**
 * Wire form: varint length, varint workers, a byte 0 or 1 (the tie plane follows), the negative
 * bits, then the tie bits if present. Reading rejects a flag other than 0 or 1, a tie plane with
 * no tie or with an odd number of workers (whose votes cannot tie), and an element both tied and
 * negative.
 */
public final class MajoritySignMessageSerializer extends Serializer<MajoritySignMessage> {

    public MajoritySignMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, MajoritySignMessage m) {
        out.writeVarInt(m.length(), true);
        out.writeVarInt(m.workers(), true);
        out.writeByte(m.ties() == null ? 0 : 1);
        PackedBits.write(out, m.negative(), m.length());
        if (m.ties() != null) {
            PackedBits.write(out, m.ties(), m.length());
        }
    }

    @Override
    public MajoritySignMessage read(Kryo kryo, Input in, Class<MajoritySignMessage> type) {
        int n = WireLimits.readLength(in, "majority sign");
        int workers = WireLimits.readCount(in, 1, VoteMessageSerializer.MAX_WORKERS, "majority sign workers");
        int flag = in.readByte();
        if (flag != 0 && flag != 1) {
            throw new CorruptMessageException("majority sign: tie flag " + flag + ", expected 0 or 1");
        }
        long[] negative = PackedBits.read(in, n, "majority sign bits");
        if (flag == 0) {
            return new MajoritySignMessage(n, workers, negative, null);
        }
        long[] ties = PackedBits.read(in, n, "majority tie bits");
        long any = 0;
        for (int w = 0; w < ties.length; w++) {
            if ((ties[w] & negative[w]) != 0) {
                throw new CorruptMessageException("majority sign: an element is both tied and negative");
            }
            any |= ties[w];
        }
        if (any == 0 || workers % 2 != 0) {
            throw new CorruptMessageException("majority sign: a tie plane with " + (any == 0 ? "no tie" : "an odd "
                    + workers + " workers"));
        }
        return new MajoritySignMessage(n, workers, negative, ties);
    }
}
