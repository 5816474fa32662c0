package io.lamina.app.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.compression.bits.CorruptMessageException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The compression error and empirical Omega against a slow reference, their merge and their wire form. */
class CompressionErrorTest {

    /** ||a - b||^2 / ||c||^2 over the concatenation of the given segments, the slow way. */
    private static double reference(List<float[]> a, List<float[]> b, List<float[]> c) {
        double num = 0;
        double den = 0;
        for (int j = 0; j < a.size(); j++) {
            for (int i = 0; i < a.get(j).length; i++) {
                num += Math.pow((double) a.get(j)[i] - b.get(j)[i], 2);
                den += Math.pow(c.get(j)[i], 2);
            }
        }
        return num / den;
    }

    @Test
    void matchesASlowReferenceOnAHandBuiltGradient() {
        SplittableRandom rnd = new SplittableRandom(42);
        int[] lengths = {7, 30, 3};
        List<float[]> g = new java.util.ArrayList<>();
        List<float[]> e = new java.util.ArrayList<>();
        List<float[]> s = new java.util.ArrayList<>();
        float[] flat = new float[40];
        CompressionError error = CompressionError.zeros(3);
        int offset = 0;
        for (int j = 0; j < 3; j++) {
            float[] gj = new float[lengths[j]];
            float[] ej = new float[lengths[j]];
            float[] sj = new float[lengths[j]];
            for (int i = 0; i < gj.length; i++) {
                gj[i] = (float) rnd.nextGaussian();
                ej[i] = gj[i] + 0.3f * (float) rnd.nextGaussian(); // a residual added
                sj[i] = Math.abs(ej[i]) > 1 ? ej[i] : 0; // a threshold sparsifier's output
                flat[offset + i] = gj[i];
            }
            error.add(j, flat, offset, ej, sj, gj.length);
            g.add(gj);
            e.add(ej);
            s.add(sj);
            offset += gj.length;
        }
        double maxOnePlusOmega = 0;
        double layerwise = 0;
        for (int j = 0; j < 3; j++) {
            assertEquals(reference(List.of(g.get(j)), List.of(s.get(j)), List.of(g.get(j))), error.relativeError(j), 1e-12);
            double omega = reference(List.of(e.get(j)), List.of(s.get(j)), List.of(e.get(j)));
            assertEquals(omega, error.omega(j), 1e-12);
            layerwise += 1 + omega;
            maxOnePlusOmega = Math.max(maxOnePlusOmega, 1 + omega);
        }
        assertEquals(reference(g, s, g), error.relativeError(-1), 1e-12);
        assertEquals(reference(e, s, e), error.omega(-1), 1e-12);
        assertEquals(layerwise, error.layerwiseSum(), 1e-12);
        assertEquals(3 * maxOnePlusOmega, error.entireModelBound(), 1e-12);
        assertTrue(error.layerwiseSum() <= error.entireModelBound());
    }

    @Test
    void workersMergeByAddingTheirSumsAndAZeroGradientHasNoRatio() {
        CompressionError a = CompressionError.zeros(2);
        CompressionError b = CompressionError.zeros(2);
        a.add(0, new float[] {3, 4}, 0, new float[] {3, 4}, new float[] {3, 0}, 2); // error 16 of 25
        b.add(0, new float[] {0, 1}, 0, new float[] {0, 1}, new float[] {0, 1}, 2); // error 0 of 1
        CompressionError both = a.merge(b);
        assertEquals(16.0 / 26, both.relativeError(0), 1e-15);
        assertTrue(Double.isNaN(both.omega(1)), "segment 1 never had a non-zero input");
        assertEquals(1 + 16.0 / 26, both.layerwiseSum(), 1e-15);
    }

    @Test
    void travelsInsideTelemetryAndRefusesATruncatedStream() {
        CompressionError e = CompressionError.zeros(2);
        e.add(1, new float[] {1, 2}, 0, new float[] {1, 2}, new float[] {1, 0}, 2);
        Telemetry t = new Telemetry(0, 8, 1, 1, 1, 1, 0, null, null, 0, e);
        com.esotericsoftware.kryo.io.Output out = new com.esotericsoftware.kryo.io.Output(256, -1);
        TelemetryWire.write(out, t);
        Telemetry back = TelemetryWire.read(new com.esotericsoftware.kryo.io.Input(out.toBytes()));
        assertArrayEquals(e.sentVsGradient(), back.error().sentVsGradient());
        assertArrayEquals(e.input(), back.error().input());
        assertNull(TelemetryWire.read(new com.esotericsoftware.kryo.io.Input(writeNone())).error());
        byte[] cut = java.util.Arrays.copyOf(out.toBytes(), out.toBytes().length - 5);
        assertThrows(CorruptMessageException.class, () -> TelemetryWire.read(new com.esotericsoftware.kryo.io.Input(cut)));
    }

    private static byte[] writeNone() {
        com.esotericsoftware.kryo.io.Output out = new com.esotericsoftware.kryo.io.Output(256, -1);
        TelemetryWire.write(out, Telemetry.NONE);
        return out.toBytes();
    }
}
