package io.lamina.app.engine;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.Message;
import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.WireLimits;

/**
 * Wire form of {@link GradientMessage}: the header as varints and doubles, then each segment's
 * message with its registered class id and its own serializer. Counts are checked on read.
 */
public final class GradientMessageSerializer extends Serializer<GradientMessage> {

    private static final int MAX_SEGMENTS = 1 << 20;
    private static final int MAX_PARTITIONS = 1 << 20;

    @Override
    public void write(Kryo kryo, Output out, GradientMessage m) {
        out.writeVarLong(m.step, true);
        out.writeVarInt(m.round, true);
        out.writeVarInt(m.workers, true);
        out.writeVarInt(m.needSnapshot, true);
        out.writeVarInt(m.rebuilt, true);
        out.writeDouble(m.lossSum);
        out.writeVarLong(m.examples, true);
        out.writeVarLong(m.maxComputeNanos, true);
        out.writeVarLong(m.sumComputeNanos, true);
        out.writeVarLong(m.sumEncodeNanos, true);
        out.writeVarLong(m.sumApplyNanos, true);
        out.writeLong(m.uplinkBytes); // fixed width: the size measured before it was filled in stays exact
        if (m.checksums == null) {
            out.writeVarInt(0, true);
        } else {
            out.writeVarInt(m.checksums.length + 1, true);
            for (long c : m.checksums) {
                out.writeLong(c);
            }
        }
        writeLongs(out, m.segmentBytes);
        writeLongs(out, m.segmentNonZeros);
        out.writeDouble(m.residualNormSq);
        writeMessages(kryo, out, m.segments);
        writeMessages(kryo, out, m.round1);
    }

    private static void writeLongs(Output out, long[] v) {
        out.writeVarInt(v == null ? 0 : v.length + 1, true);
        if (v != null) {
            for (long x : v) {
                out.writeVarLong(x, true);
            }
        }
    }

    private static long[] readLongs(Input in, String what) {
        int n = WireLimits.readCount(in, 0, MAX_SEGMENTS + 1, what + " count");
        if (n == 0) {
            return null;
        }
        long[] v = new long[n - 1];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readVarLong(true);
        }
        return v;
    }

    private static void writeMessages(Kryo kryo, Output out, Message[] messages) {
        if (messages == null) {
            out.writeVarInt(0, true);
        } else {
            out.writeVarInt(messages.length + 1, true);
            for (Message s : messages) {
                kryo.writeClassAndObject(out, s);
            }
        }
    }

    private static Message[] readMessages(Kryo kryo, Input in, long step, String what) {
        int n = WireLimits.readCount(in, 0, MAX_SEGMENTS + 1, what + " count");
        if (n == 0) {
            return null;
        }
        Message[] messages = new Message[n - 1];
        for (int i = 0; i < messages.length; i++) {
            Object o = kryo.readClassAndObject(in);
            if (!(o instanceof Message)) {
                throw new CorruptMessageException(what + " " + i + " of step " + step + " is not a message: "
                        + (o == null ? "null" : o.getClass().getName()));
            }
            messages[i] = (Message) o;
        }
        return messages;
    }

    @Override
    public GradientMessage read(Kryo kryo, Input in, Class<GradientMessage> type) {
        GradientMessage m = new GradientMessage(in.readVarLong(true));
        m.round = WireLimits.readCount(in, 1, 2, "gradient message round");
        m.workers = WireLimits.readCount(in, 1, Integer.MAX_VALUE, "gradient message workers");
        m.needSnapshot = WireLimits.readCount(in, 0, m.workers, "gradient message needSnapshot");
        m.rebuilt = WireLimits.readCount(in, 0, m.workers, "gradient message rebuilt");
        m.lossSum = in.readDouble();
        m.examples = in.readVarLong(true);
        m.maxComputeNanos = in.readVarLong(true);
        m.sumComputeNanos = in.readVarLong(true);
        m.sumEncodeNanos = in.readVarLong(true);
        m.sumApplyNanos = in.readVarLong(true);
        m.uplinkBytes = in.readLong();
        int checksums = WireLimits.readCount(in, 0, MAX_PARTITIONS + 1, "gradient message checksum count");
        if (checksums > 0) {
            m.checksums = new long[checksums - 1];
            for (int i = 0; i < m.checksums.length; i++) {
                m.checksums[i] = in.readLong();
            }
        }
        m.segmentBytes = readLongs(in, "segment bytes");
        m.segmentNonZeros = readLongs(in, "segment non-zeros");
        m.residualNormSq = in.readDouble();
        m.segments = readMessages(kryo, in, m.step, "segment");
        m.round1 = readMessages(kryo, in, m.step, "round-1 downlink");
        return m;
    }
}
