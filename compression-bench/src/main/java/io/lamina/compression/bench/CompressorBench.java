package io.lamina.compression.bench;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.Layout;
import io.lamina.compression.method.WireFormat;
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
 * Encode to wire bytes and decode from wire bytes, one thread, for every registered compressor at
 * its representative setting ({@link BenchSpecs}), on {@code size} standard Gaussian floats in one
 * segment (PowerSGD folds it near-square: 1000 x 1000 at 1M, 3162 x 3163 at 10M).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx6g", "--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class CompressorBench {

    @Param({"1000000", "10000000"})
    public int size;

    /** A row of {@link BenchSpecs#SETTINGS}; {@link RunAll} passes all of them (from the registry), JMH's own main needs {@code -p method=...}. */
    @Param({})
    public String method;

    private float[] values;
    private float[] dst;
    private Codec codec;
    private byte[][] images;

    @Setup(Level.Trial)
    public void setup() {
        CompressorSpec spec = BenchSpecs.resolve(method);
        if (spec == null) {
            throw new IllegalStateException("SKIP " + method + ": not registered in Compressors (registered: "
                    + String.join(", ", Compressors.names()) + ")");
        }
        values = BenchData.gaussian(size);
        dst = new float[size];
        codec = new Codec(spec.create(Layout.single("x", size)), WireFormat.newKryo(), size);
        codec.warm(values, RunAll.WARM_STEPS);
        images = codec.wireImages(values);
    }

    @Benchmark
    public int encode() {
        return codec.encode(values);
    }

    @Benchmark
    public float[] decode() {
        codec.decode(images, dst);
        return dst;
    }
}
