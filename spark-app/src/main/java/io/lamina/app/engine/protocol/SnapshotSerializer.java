package io.lamina.app.engine.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.bits.WireLimits;

/** Wire form of {@link Snapshot}: version, counters, then the two float arrays with their lengths. */
public final class SnapshotSerializer extends Serializer<Snapshot> {

    public SnapshotSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, Snapshot s) {
        out.writeVarLong(s.version(), true);
        out.writeVarInt(s.iteration(), true);
        out.writeVarInt(s.epoch(), true);
        writeFloats(out, s.params());
        writeFloats(out, s.updaterState());
        writeArrays(out, s.compressorState());
    }

    /** Per-segment arrays, each possibly null; null itself allowed. */
    static void writeArrays(Output out, float[][] state) {
        out.writeVarInt(state == null ? 0 : state.length + 1, true);
        if (state != null) {
            for (float[] q : state) {
                out.writeBoolean(q != null);
                if (q != null) {
                    writeFloats(out, q);
                }
            }
        }
    }

    static float[][] readArrays(Input in, String what) {
        int segments = WireLimits.readCount(in, 0, 1 << 20, what + " arrays");
        if (segments == 0) {
            return null;
        }
        float[][] out = new float[segments - 1][];
        for (int j = 0; j < out.length; j++) {
            if (in.readBoolean()) {
                out[j] = readFloats(in, what);
            }
        }
        return out;
    }

    static float[] readFloats(Input in, String what) {
        return WireLimits.readFloats(in, WireLimits.readCount(in, 0, WireLimits.MAX_SEGMENT_LENGTH, what), what);
    }

    @Override
    public Snapshot read(Kryo kryo, Input in, Class<Snapshot> type) {
        long version = in.readVarLong(true);
        int iteration = in.readVarInt(true);
        int epoch = in.readVarInt(true);
        float[] params = WireLimits.readFloats(in,
                WireLimits.readCount(in, 0, WireLimits.MAX_SEGMENT_LENGTH, "snapshot params"), "snapshot params");
        float[] state = WireLimits.readFloats(in,
                WireLimits.readCount(in, 0, WireLimits.MAX_SEGMENT_LENGTH, "snapshot updater state"), "snapshot updater state");
        float[][] shared = readArrays(in, "snapshot compressor state");
        return new Snapshot(version, params, state, iteration, epoch, shared);
    }

    static void writeFloats(Output out, float[] v) {
        out.writeVarInt(v.length, true);
        WireLimits.writeFloats(out, v, 0, v.length);
    }
}
