package io.lamina.app.engine;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.wire.WireLimits;

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
        return new Snapshot(version, params, state, iteration, epoch);
    }

    private static void writeFloats(Output out, float[] v) {
        out.writeVarInt(v.length, true);
        for (float f : v) {
            out.writeFloat(f);
        }
    }
}
