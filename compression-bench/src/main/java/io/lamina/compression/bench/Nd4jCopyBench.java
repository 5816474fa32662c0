package io.lamina.compression.bench;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * Copying a float[] into and out of an ND4J array, as every Lamina step does several times per
 * worker (the gradient out of DL4J, the merged update into its updater's view, the parameters of a
 * snapshot): ND4J's {@code DataBuffer.setData(float[])} and {@code asFloat()}, which go element by
 * element through the buffer's typed accessors, against one bulk copy through the buffer's native
 * memory as a {@link FloatBuffer} (what {@code Dl4jNet} does for whole, unshared float buffers).
 * Sizes: the bench MLP's 235,146 parameters and LeNet-5's 431,080.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@State(Scope.Thread)
public class Nd4jCopyBench {

    @Param({"235146", "431080"})
    public int size;

    float[] values;
    float[] out;
    INDArray array;

    @Setup(Level.Trial)
    public void setup() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        values = BenchData.gaussian(size);
        out = new float[size];
        array = Nd4j.zeros(DataType.FLOAT, size);
    }

    @Benchmark
    public INDArray inElementWise() {
        array.data().setData(values);
        return array;
    }

    @Benchmark
    public INDArray inBulk() {
        native_(array).put(values);
        return array;
    }

    @Benchmark
    public float[] outElementWise() {
        float[] tmp = array.data().asFloat();
        System.arraycopy(tmp, 0, out, 0, out.length);
        return out;
    }

    @Benchmark
    public float[] outBulk() {
        native_(array).get(out);
        return out;
    }

    private static FloatBuffer native_(INDArray a) {
        return a.data().asNio().duplicate().clear().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
