package io.lamina.app.engine.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.bits.WireLimits;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wire form of {@link Checkpoint} and of a lone {@link WorkerState} (what a checkpoint task
 * ships): counts and lengths checked on read, like every Lamina message.
 */
final class CheckpointSerializer extends Serializer<Checkpoint> {

    CheckpointSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, Checkpoint c) {
        out.writeVarLong(c.steps(), true);
        new SnapshotSerializer().write(kryo, out, c.master());
        out.writeVarInt(c.workers().length, true);
        for (WorkerState w : c.workers()) {
            out.writeBoolean(w != null);
            if (w != null) {
                WorkerStateSerializer.writeState(out, w);
            }
        }
        out.writeVarLong(c.uplinkBytes(), true);
        out.writeVarLong(c.downlinkBytes(), true);
        out.writeVarLong(c.rebuiltReplicas(), true);
        out.writeVarLong(c.checksumMismatches(), true);
        out.writeVarInt(c.settings().size(), true);
        c.settings().forEach((k, v) -> {
            out.writeString(k);
            out.writeString(v);
        });
    }

    @Override
    public Checkpoint read(Kryo kryo, Input in, Class<Checkpoint> type) {
        long steps = in.readVarLong(true);
        Snapshot master = new SnapshotSerializer().read(kryo, in, Snapshot.class);
        WorkerState[] workers = new WorkerState[WireLimits.readCount(in, 1, AggregateSerializer.MAX_PARTITIONS,
                "checkpoint workers")];
        for (int p = 0; p < workers.length; p++) {
            if (in.readBoolean()) {
                workers[p] = WorkerStateSerializer.readState(in);
            }
        }
        long up = in.readVarLong(true);
        long down = in.readVarLong(true);
        long rebuilt = in.readVarLong(true);
        long mismatches = in.readVarLong(true);
        int n = WireLimits.readCount(in, 0, 1000, "checkpoint settings");
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            settings.put(RunWire.string(in, "setting key"), RunWire.string(in, "setting value"));
        }
        return new Checkpoint(steps, master, workers, up, down, rebuilt, mismatches, settings);
    }

    static final class WorkerStateSerializer extends Serializer<WorkerState> {

        WorkerStateSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output out, WorkerState w) {
            writeState(out, w);
        }

        @Override
        public WorkerState read(Kryo kryo, Input in, Class<WorkerState> type) {
            return readState(in);
        }

        static void writeState(Output out, WorkerState w) {
            out.writeVarInt(w.partition(), true);
            out.writeVarLong(w.version(), true);
            out.writeVarInt(w.iteration(), true);
            out.writeVarInt(w.epoch(), true);
            out.writeBoolean(w.updaterState() != null);
            if (w.updaterState() != null) {
                SnapshotSerializer.writeFloats(out, w.updaterState());
            }
            SnapshotSerializer.writeArrays(out, w.memory());
            SnapshotSerializer.writeArrays(out, w.compressor());
        }

        static WorkerState readState(Input in) {
            int partition = WireLimits.readCount(in, 0, AggregateSerializer.MAX_PARTITIONS, "worker state partition");
            long version = in.readVarLong(true);
            int iteration = in.readVarInt(true);
            int epoch = in.readVarInt(true);
            float[] updater = in.readBoolean() ? SnapshotSerializer.readFloats(in, "worker updater state") : null;
            return new WorkerState(partition, version, iteration, epoch, updater,
                    SnapshotSerializer.readArrays(in, "worker memory"), SnapshotSerializer.readArrays(in, "worker compressor"));
        }
    }
}
