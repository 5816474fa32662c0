package io.lamina.app.data;

import io.lamina.app.engine.protocol.LaminaBytes;
import io.lamina.datasets.ChunkPlan;
import io.lamina.datasets.DataBlock;
import io.lamina.datasets.LabeledData;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data stored as chunks that executors read themselves (files' byte ranges, IDX record ranges):
 * partition {@code p}'s block is made by the task that builds it from the slices
 * {@link ChunkPlan#cut} gives it (training: chunks in a seeded order; test: stored order), read
 * with the {@link ChunkReader}, normalised, and written as Lamina's bytes.
 */
final class ChunkedData implements TrainingData {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkedData.class);

    private final DataInfo info;
    private final Normalizer normalizer;
    private final long[] trainCounts;
    private final long[] testCounts;
    private final ChunkReader reader;
    private final Runnable onRelease;
    private Broadcast<byte[]> normBytes;

    ChunkedData(DataInfo info, Normalizer normalizer, long[] trainCounts, long[] testCounts, ChunkReader reader,
            Runnable onRelease) {
        this.info = info;
        this.normalizer = normalizer;
        this.trainCounts = trainCounts;
        this.testCounts = testCounts;
        this.reader = reader;
        this.onRelease = onRelease;
    }

    @Override
    public DataInfo info() {
        return info;
    }

    @Override
    public Normalizer normalizer() {
        return normalizer;
    }

    @Override
    public JavaRDD<byte[]> trainBlocks(JavaSparkContext sc, int workers, long seed) {
        long total = info.trainExamples();
        if (workers > total) {
            throw new IllegalArgumentException("--workers " + workers + " is more than the " + total
                    + " training examples");
        }
        List<List<ChunkPlan.Slice>> plan = ChunkPlan.cut(trainCounts, workers, seed, true);
        if (total % workers != 0) {
            LOG.info("{} training examples over {} workers: the first {} partitions hold one more ({}); all are used",
                    total, workers, total % workers, total / workers + 1);
        }
        return build(sc, plan, ChunkPlan.firstIndices(trainCounts), 0, seed, true);
    }

    @Override
    public JavaRDD<byte[]> testSlices(JavaSparkContext sc, int workers) {
        List<List<ChunkPlan.Slice>> plan = ChunkPlan.cut(testCounts, workers, 0, false);
        return build(sc, plan, ChunkPlan.firstIndices(testCounts), trainCounts.length, 0, false);
    }

    private JavaRDD<byte[]> build(JavaSparkContext sc, List<List<ChunkPlan.Slice>> plan, long[] first, int chunkOffset,
            long seed, boolean blocks) {
        Broadcast<byte[]> norm = normalizerBroadcast(sc);
        ChunkReader r = reader;
        DataInfo meta = info;
        int n = plan.size();
        return sc.parallelize(InMemoryData.parts(n), n).map(p -> {
            // in file order (still a function of the plan alone): one forward pass through each file
            List<ChunkPlan.Slice> slices = new java.util.ArrayList<>(plan.get(p));
            slices.sort(java.util.Comparator.comparingInt(ChunkPlan.Slice::chunk).thenComparingLong(ChunkPlan.Slice::from));
            Examples ex = new Examples(meta.featureSize(), slices.stream().mapToLong(ChunkPlan.Slice::size).sum());
            try {
                for (ChunkPlan.Slice s : slices) {
                    r.read(s.chunk() + chunkOffset, s.from(), s.to(), first[s.chunk()], ex);
                }
            } finally {
                r.done();
            }
            LabeledData d = ex.toData(meta.numClasses(), meta.shape());
            Normalizer.fromBytes(norm.value()).apply(d.features(), meta.featureSize());
            return blocks ? LaminaBytes.write(new DataBlock(p, seed, d, ex.sourceIndices())) : LaminaBytes.write(d);
        });
    }

    private synchronized Broadcast<byte[]> normalizerBroadcast(JavaSparkContext sc) {
        if (normBytes == null) {
            normBytes = sc.broadcast(normalizer.toBytes());
        }
        return normBytes;
    }

    @Override
    public synchronized void release() {
        if (normBytes != null) {
            normBytes.destroy(false);
            normBytes = null;
        }
        onRelease.run();
    }

    @Override
    public String toString() {
        return "ChunkedData[" + info + ", " + trainCounts.length + " + " + testCounts.length + " chunks, normalizer "
                + normalizer + ", counts " + Arrays.toString(Arrays.copyOf(trainCounts, Math.min(4, trainCounts.length)))
                + "...]";
    }
}
