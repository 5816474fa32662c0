package io.lamina.compression.bench;

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
 * The native baseline: ND4J's own threshold encoding ({@code thresholdEncode}: one int per kept
 * element, sign in the int, values quantised to +-threshold, and the input updated in place to
 * the residual) and decoding ({@code thresholdDecode}, adding +-threshold into a target), on the
 * same vector and threshold as Lamina's {@code threshold} benchmark. The encode input is restored
 * before every invocation (not timed), since ND4J subtracts what it encoded. Run with
 * OMP_NUM_THREADS=1 so that ND4J uses one thread, like the Java side.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=4G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=8G"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class Nd4jThresholdBench {

    /** The vector to encode, restored before each encode. */
    @State(Scope.Thread)
    public static class EncodeState {
        @Param({"1000000", "10000000"})
        public int size;

        INDArray pristine;
        INDArray input;

        @Setup(Level.Trial)
        public void setup() {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
            pristine = Nd4j.createFromArray(BenchData.gaussian(size));
            input = pristine.dup();
        }

        @Setup(Level.Invocation)
        public void restore() {
            input.assign(pristine);
        }
    }

    /** An encoded vector and a target to decode into. */
    @State(Scope.Thread)
    public static class DecodeState {
        @Param({"1000000", "10000000"})
        public int size;

        INDArray encoded;
        INDArray target;

        @Setup(Level.Trial)
        public void setup() {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
            INDArray input = Nd4j.createFromArray(BenchData.gaussian(size));
            encoded = Nd4j.getExecutioner().thresholdEncode(input, BenchData.THRESHOLD_1PCT);
            target = Nd4j.zeros(DataType.FLOAT, size);
        }
    }

    @Benchmark
    public INDArray encode(EncodeState s) {
        return Nd4j.getExecutioner().thresholdEncode(s.input, BenchData.THRESHOLD_1PCT);
    }

    @Benchmark
    public INDArray decode(DecodeState s) {
        return Nd4j.getExecutioner().thresholdDecode(s.encoded, s.target);
    }
}
