package io.lamina.app.engine.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.Message;
import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.WireLimits;

/** Wire form of {@link Downlink}: the step, the number of rounds, then each round's segment messages. */
public final class DownlinkSerializer extends Serializer<Downlink> {

    private static final int MAX_ROUNDS = 16;

    public DownlinkSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, Downlink d) {
        out.writeVarLong(d.step(), true);
        out.writeVarInt(d.rounds().length, true);
        for (Message[] round : d.rounds()) {
            MessageArrays.write(kryo, out, round);
        }
    }

    @Override
    public Downlink read(Kryo kryo, Input in, Class<Downlink> type) {
        long step = in.readVarLong(true);
        Message[][] rounds = new Message[WireLimits.readCount(in, 0, MAX_ROUNDS, "downlink rounds")][];
        for (int r = 0; r < rounds.length; r++) {
            rounds[r] = MessageArrays.read(kryo, in, "downlink round " + r + " segment of step " + step);
            if (rounds[r] == null || rounds[r].length != rounds[0].length) {
                throw new CorruptMessageException("downlink of step " + step + ": round " + r + " has "
                        + (rounds[r] == null ? "no" : rounds[r].length) + " segments, round 0 has " + rounds[0].length);
            }
        }
        return new Downlink(step, rounds);
    }
}
