package io.lamina.app.data;

import io.lamina.app.engine.protocol.LaminaBroadcast;
import io.lamina.app.engine.protocol.LaminaBytes;
import io.lamina.datasets.DataBlock;
import io.lamina.datasets.FeatureStats;
import io.lamina.datasets.LabeledData;
import io.lamina.datasets.Partitioner;
import io.lamina.datasets.TrainTestData;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Data the driver already holds (the embedded subset, {@code SyntheticData}, a caller's
 * {@link TrainTestData}): broadcast once, and each partition's block cut on the executor by
 * {@link Partitioner#block} from the broadcast. With no normalisation (the default here) the
 * blocks are bit for bit what they have always been.
 */
public final class InMemoryData implements DataSource, TrainingData {

    private final TrainTestData data;
    private final Normalizer.Method method;
    private Normalizer normalizer;
    private LaminaBroadcast<LabeledData> train;
    private LaminaBroadcast<LabeledData> test;

    /** The data as it is (no normalisation). */
    public InMemoryData(TrainTestData data) {
        this(data, Normalizer.Method.NONE);
    }

    /** The data with normalisation {@code method} (AUTO = none) computed from its training set. */
    public InMemoryData(TrainTestData data, Normalizer.Method method) {
        this.data = data;
        this.method = method.or(Normalizer.Method.NONE);
    }

    @Override
    public long check(org.apache.hadoop.conf.Configuration conf) {
        return data.train().numExamples();
    }

    @Override
    public TrainingData open(JavaSparkContext sc) {
        normalizer();
        return this;
    }

    @Override
    public DataInfo info() {
        return new DataInfo(data.train().shape(), data.train().numClasses(), data.train().numExamples(),
                data.test().numExamples());
    }

    @Override
    public synchronized Normalizer normalizer() {
        if (normalizer == null) {
            if (method == Normalizer.Method.NONE) {
                normalizer = Normalizer.none();
            } else {
                LabeledData t = data.train();
                FeatureStats.Accumulator acc = new FeatureStats.Accumulator();
                float[] row = new float[t.featureSize()];
                for (int i = 0; i < t.numExamples(); i++) {
                    System.arraycopy(t.features(), i * row.length, row, 0, row.length);
                    acc.addDense(row, row.length);
                }
                normalizer = Normalizer.of(method, acc.finish(), t.featureSize());
            }
        }
        return normalizer;
    }

    @Override
    public JavaRDD<byte[]> trainBlocks(JavaSparkContext sc, int workers, long seed) {
        train = LaminaBroadcast.of(sc, data.train(), LabeledData.class);
        LaminaBroadcast<LabeledData> t = train;
        Normalizer norm = normalizer();
        int n = workers;
        // Blocks are built on the executors from the broadcast, so a task never carries its data.
        return sc.parallelize(parts(n), n).map(p -> {
            DataBlock b = Partitioner.block(t.value(), n, p, seed);
            norm.apply(b.data().features(), b.featureSize()); // the block's own copy
            return LaminaBytes.write(b);
        });
    }

    @Override
    public JavaRDD<byte[]> testSlices(JavaSparkContext sc, int workers) {
        test = LaminaBroadcast.of(sc, data.test(), LabeledData.class);
        LaminaBroadcast<LabeledData> t = test;
        Normalizer norm = normalizer();
        int n = workers;
        return sc.parallelize(parts(n), n).map(p -> {
            LabeledData slice = Partitioner.evaluationSlices(t.value(), n).get(p);
            norm.apply(slice.features(), slice.featureSize()); // a compact copy
            return LaminaBytes.write(slice);
        });
    }

    @Override
    public void release() {
        for (LaminaBroadcast<?> b : new LaminaBroadcast<?>[] {train, test}) {
            if (b != null) {
                b.destroy();
            }
        }
        train = null;
        test = null;
    }

    @Override
    public String describe() {
        return "in-memory:" + data.train().numExamples() + "+" + data.test().numExamples() + " examples";
    }

    static List<Integer> parts(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }
}
