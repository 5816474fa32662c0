package io.lamina.compression.bench;

import com.esotericsoftware.kryo.io.Output;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
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
 *   <li>{@code bf16Direct}: bf16 by truncation, {@code (short) (bits(x) >>> 16)}, two per int
 *       straight into a reused Kryo {@link Output}'s buffer: the least work a 16-bit encoding to
 *       wire bytes can do in Java 17 (no rounding, no message);</li>
 *   <li>{@code bf16ViaMessage}: the same truncation into a fresh 2-byte-per-element array (what a
 *       message that owns its payload must allocate), then one {@code writeBytes} into the
 *       Output: the floor of any 16-bit compressor that returns a message;</li>
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

    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

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
        byte[] buf = out.getBuffer();
        int pos = out.position();
        float[] x = values;
        int n = x.length & ~1;
        for (int i = 0; i < n; i += 2, pos += 4) {
            LE_INT.set(buf, pos, (Float.floatToRawIntBits(x[i]) >>> 16) | (Float.floatToRawIntBits(x[i + 1]) & 0xFFFF0000));
        }
        out.setPosition(pos);
        return pos;
    }

    @Benchmark
    public int bf16ViaMessage() {
        float[] x = values;
        byte[] payload = new byte[2 * x.length];
        int n = x.length & ~1;
        for (int i = 0, pos = 0; i < n; i += 2, pos += 4) {
            LE_INT.set(payload, pos, (Float.floatToRawIntBits(x[i]) >>> 16) | (Float.floatToRawIntBits(x[i + 1]) & 0xFFFF0000));
        }
        out.setPosition(0);
        out.writeVarInt(size, true);
        out.writeBytes(payload);
        return out.position();
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
