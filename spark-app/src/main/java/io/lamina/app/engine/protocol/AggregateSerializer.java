package io.lamina.app.engine.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.bits.WireLimits;

/**
 * Wire form of {@link Aggregate}: the header as varints, the loss as a double, the checksums,
 * the telemetry ({@link TelemetryWire}), then each segment's message with its registered class
 * id and its own serializer ({@link MessageArrays}). Counts are checked on read.
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
        out.writeDouble(a.lossSum());
        long[] checksums = a.checksums();
        out.writeVarInt(checksums == null ? 0 : checksums.length + 1, true);
        if (checksums != null) {
            for (long c : checksums) {
                out.writeLong(c);
            }
        }
        TelemetryWire.write(out, a.telemetry());
        MessageArrays.write(kryo, out, a.segments());
    }

    @Override
    public Aggregate read(Kryo kryo, Input in, Class<Aggregate> type) {
        long step = in.readVarLong(true);
        int round = WireLimits.readCount(in, 0, 15, "aggregate round");
        int workers = WireLimits.readCount(in, 1, Integer.MAX_VALUE, "aggregate workers");
        int requests = WireLimits.readCount(in, 0, workers, "aggregate snapshot requests");
        double lossSum = in.readDouble();
        long[] checksums = null;
        int n = WireLimits.readCount(in, 0, MAX_PARTITIONS + 1, "aggregate checksum count");
        if (n > 0) {
            checksums = new long[n - 1];
            for (int i = 0; i < checksums.length; i++) {
                checksums[i] = in.readLong();
            }
        }
        Telemetry telemetry = TelemetryWire.read(in);
        return new Aggregate(step, round, workers, requests, lossSum, checksums,
                MessageArrays.read(kryo, in, "segment of step " + step), telemetry);
    }
}
