package io.lamina.compression.bench;

import com.esotericsoftware.kryo.io.Output;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lower bounds for the single-pass encoders, on the same vector, not compressors:
 * <ul>
 *   <li>{@code bf16Direct}: bf16 by truncation, {@code (short) (bits(x) >>> 16)}, eight lanes at a
 *       time (Vector API) straight into a reused Kryo {@link Output}'s buffer: the least work a
 *       16-bit encoding to wire bytes can do in Java 17 (no rounding, no message);</li>
 *   <li>{@code bf16ViaMessage}: the same truncation into a fresh 2-byte-per-element array (what a
 *       message that owns its payload must allocate and write), then one {@code writeBytes}
 *       (an array copy) into the Output: the floor of any 16-bit compressor that returns a
 *       message, whatever its rounding costs;</li>
 *   <li>{@code selectOnly}: the threshold scan alone (|x| >= t into reused index/value arrays,
 *       one branch per element), no message and no serialization.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx6g", "--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class BoundsBench {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;

    @Param({"1000000", "10000000"})
    public int size;

    private float[] values;
    private Output out;
    private int[] idx;
    private float[] val;

    @Setup(Level.Trial)
    public void setup() {
        values = BenchData.gaussian(size);
        out = new Output(4 * size + 4096, -1);
        idx = new int[size];
        val = new float[size];
    }

    @Benchmark
    public int bf16Direct() {
        out.setPosition(0);
        out.writeVarInt(size, true);
        int pos = out.position();
        truncate(values, out.getBuffer(), pos);
        out.setPosition(pos + 2 * size);
        return out.position();
    }

    @Benchmark
    public int bf16ViaMessage() {
        byte[] payload = new byte[2 * values.length];
        truncate(values, payload, 0);
        out.setPosition(0);
        out.writeVarInt(size, true);
        out.writeBytes(payload);
        return out.position();
    }

    /** {@code (short) (bits(x) >>> 16)} little-endian into {@code dst} from {@code pos}, eight lanes at a time. */
    private static void truncate(float[] x, byte[] dst, int pos) {
        int n = x.length & ~7;
        for (int i = 0; i < n; i += 8) {
            FloatVector.fromArray(F, x, i).reinterpretAsInts().lanewise(VectorOperators.LSHR, 16)
                    .convertShape(VectorOperators.I2S, ShortVector.SPECIES_128, 0).reinterpretAsBytes()
                    .intoByteArray(dst, pos + 2 * i, ByteOrder.LITTLE_ENDIAN);
        }
        for (int i = n; i < x.length; i++) {
            int h = Float.floatToRawIntBits(x[i]) >>> 16;
            dst[pos + 2 * i] = (byte) h;
            dst[pos + 2 * i + 1] = (byte) (h >>> 8);
        }
    }

    @Benchmark
    public int selectOnly() {
        float t = (float) BenchData.THRESHOLD_1PCT;
        float[] x = values;
        int c = 0;
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            if (Math.abs(v) >= t) {
                idx[c] = i;
                val[c++] = v;
            }
        }
        return c;
    }
}
