package io.lamina.app.engine.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.Message;
import io.lamina.compression.bits.WireLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire form of {@link Aggregate}: the header as varints, the checksums and replica ids, the non-finite marker,
 * the telemetry ({@link TelemetryWire}), then each part's range, loss sum and segment messages
 * (each with its registered class id and its own serializer, {@link MessageArrays}). Counts and
 * ranges are checked on read.
 */
public final class AggregateSerializer extends Serializer<Aggregate> {

    static final int MAX_PARTITIONS = 1 << 20;

    public AggregateSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, Aggregate a) {
        out.writeVarLong(a.step(), true);
        out.writeVarInt(a.round(), true);
        out.writeVarInt(a.workers(), true);
        out.writeVarInt(a.snapshotRequests(), true);
        writeLongs(out, a.checksums());
        writeLongs(out, a.replicas());
        Aggregate.NonFinite bad = a.nonFinite();
        out.writeVarInt(bad == null ? 0 : bad.partition() + 1, true);
        if (bad != null) {
            out.writeVarInt(bad.segment(), true);
            out.writeVarInt(bad.element(), true);
        }
        TelemetryWire.write(out, a.telemetry());
        out.writeVarInt(a.parts().size(), true);
        for (Aggregate.Part p : a.parts()) {
            out.writeVarInt(p.lo(), true);
            out.writeVarInt(p.hi() - p.lo(), true);
            out.writeDouble(p.lossSum());
            MessageArrays.write(kryo, out, p.segments());
        }
    }

    @Override
    public Aggregate read(Kryo kryo, Input in, Class<Aggregate> type) {
        long step = in.readVarLong(true);
        int round = WireLimits.readCount(in, 0, 15, "aggregate round");
        int workers = WireLimits.readCount(in, 1, Integer.MAX_VALUE, "aggregate workers");
        int requests = WireLimits.readCount(in, 0, workers, "aggregate snapshot requests");
        long[] checksums = readLongs(in, "aggregate checksum count");
        long[] replicas = readLongs(in, "aggregate replica count");
        Aggregate.NonFinite bad = null;
        int badPartition = WireLimits.readCount(in, 0, MAX_PARTITIONS + 1, "aggregate non-finite partition");
        if (badPartition > 0) {
            bad = new Aggregate.NonFinite(badPartition - 1, WireLimits.readCount(in, 0, MessageArrays.MAX_SEGMENTS,
                    "non-finite segment"), WireLimits.readCount(in, 0, Integer.MAX_VALUE, "non-finite element"));
        }
        Telemetry telemetry = TelemetryWire.read(in);
        // A worker ships its result unmeasured; its segments' sizes are taken here, from the bytes read.
        long[][] measured = workers == 1 && telemetry.segmentBytes() == null ? new long[1][] : null;
        List<Aggregate.Part> parts = new ArrayList<>();
        int partCount = WireLimits.readCount(in, 1, workers, "aggregate parts");
        for (int i = 0; i < partCount; i++) {
            int lo = WireLimits.readCount(in, 0, MAX_PARTITIONS, "part start");
            int size = WireLimits.readCount(in, 1, MAX_PARTITIONS, "part size");
            double loss = in.readDouble();
            Message[] segments = MessageArrays.read(kryo, in, "segment of step " + step, measured);
            parts.add(new Aggregate.Part(lo, lo + size, segments, loss));
        }
        if (measured != null && measured[0] != null) {
            telemetry = telemetry.withSegmentBytes(measured[0]);
        }
        return new Aggregate(step, round, workers, requests, checksums, replicas, parts, telemetry, bad);
    }

    /** Per-partition longs: their count + 1 (0 = null), then each as 8 bytes. */
    private static void writeLongs(Output out, long[] values) {
        out.writeVarInt(values == null ? 0 : values.length + 1, true);
        if (values != null) {
            for (long v : values) {
                out.writeLong(v);
            }
        }
    }

    private static long[] readLongs(Input in, String what) {
        int n = WireLimits.readCount(in, 0, MAX_PARTITIONS + 1, what);
        if (n == 0) {
            return null;
        }
        long[] values = new long[n - 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }
}
