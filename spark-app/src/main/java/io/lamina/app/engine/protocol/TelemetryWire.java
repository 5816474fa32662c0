package io.lamina.app.engine.protocol;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.bits.WireLimits;

/** Wire form of {@link Telemetry}, written inside an {@link Aggregate}. */
final class TelemetryWire {

    private static final int MAX_SEGMENTS = 1 << 20;

    private TelemetryWire() {
    }

    static void write(Output out, Telemetry t) {
        out.writeVarInt(t.rebuilt(), true);
        out.writeVarLong(t.examples(), true);
        // Times fixed-width: a result's size must not depend on how long it took (byte counts
        // are compared across runs, e.g. a resumed run against an uninterrupted one).
        out.writeLong(t.maxComputeNanos());
        out.writeLong(t.sumComputeNanos());
        out.writeLong(t.sumEncodeNanos());
        out.writeLong(t.sumApplyNanos());
        out.writeLong(t.uplinkBytes()); // fixed width: the size measured before it was filled in stays exact
        writeLongs(out, t.segmentBytes());
        writeLongs(out, t.segmentNonZeros());
        out.writeDouble(t.residualNormSq());
        CompressionError e = t.error();
        out.writeVarInt(e == null ? 0 : e.segments() + 1, true);
        if (e != null) {
            for (double[] v : new double[][] {e.sentVsGradient(), e.gradient(), e.sentVsInput(), e.input()}) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * v.length);
                b.asDoubleBuffer().put(v);
                out.writeBytes(b.array());
            }
        }
    }

    static Telemetry read(Input in) {
        return new Telemetry(WireLimits.readCount(in, 0, Integer.MAX_VALUE, "telemetry rebuilt"),
                in.readVarLong(true), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), readLongs(in, "segment bytes"), readLongs(in, "segment non-zeros"),
                in.readDouble(), readError(in));
    }

    private static CompressionError readError(Input in) {
        int n = WireLimits.readCount(in, 0, MAX_SEGMENTS + 1, "compression error segments");
        if (n == 0) {
            return null;
        }
        double[][] v = new double[4][];
        for (int i = 0; i < 4; i++) { // raw bytes first: a corrupt count cannot make us allocate ahead of the data
            byte[] raw = WireLimits.readBytes(in, 8 * (n - 1), "compression error sums");
            v[i] = new double[n - 1];
            java.nio.ByteBuffer.wrap(raw).asDoubleBuffer().get(v[i]);
        }
        return new CompressionError(v[0], v[1], v[2], v[3]);
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
}
