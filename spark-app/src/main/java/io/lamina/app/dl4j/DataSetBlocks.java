package io.lamina.app.dl4j;

import io.lamina.app.engine.driver.TrainingBlocks;
import io.lamina.app.engine.protocol.LaminaBytes;
import io.lamina.app.model.ModelShape;
import io.lamina.datasets.DataBlock;
import io.lamina.datasets.ImageShape;
import io.lamina.datasets.LabeledData;
import io.lamina.datasets.Partitioner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import scala.Tuple2;

/**
 * Turns a {@code JavaRDD<DataSet>} of classification examples into Lamina's training blocks, one
 * per worker, entirely on the executors (the driver only learns each partition's example count
 * and shape). Block p is exactly {@link Partitioner#block}{@code (all, workers, p, seed)} where
 * {@code all} is the RDD's examples in RDD order: the seeded shuffle that mixes the classes across
 * workers, with the same bits as {@code lamina train} would make from the same examples.
 *
 * <p>Three Spark jobs: each partition's {@code DataSet}s become one {@link LabeledData} (features
 * flattened row-major, one-hot labels to class indices); their sizes give every example its global
 * index; each example is then sent to the block that holds its position in the shuffled order
 * (one shuffle record per source partition and block) and written into its slot there.
 */
public final class DataSetBlocks {

    private DataSetBlocks() {
    }

    /** The blocks for {@code workers} workers from classification {@code DataSet}s (features 2-d or 4-d). */
    public static TrainingBlocks of(JavaRDD<DataSet> data, int workers, long seed) {
        return fromChunks(data.mapPartitions(DataSetBlocks::toChunk), workers, seed);
    }

    /** As {@link #of}, for {@code MultiDataSet}s with one features and one labels array each. */
    public static TrainingBlocks ofMultiDataSets(JavaRDD<MultiDataSet> data, int workers, long seed) {
        return of(data.map(DataSetBlocks::single), workers, seed);
    }

    private static TrainingBlocks fromChunks(JavaRDD<byte[]> chunks, int workers, long seed) {
        chunks = chunks.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // per source partition: examples, channels, height, width, classes (examples 0 if empty)
            List<long[]> meta = chunks.mapPartitionsWithIndex(DataSetBlocks::describe, true).collect();
            long[] offsets = new long[meta.size() + 1];
            long[] shape = null;
            for (long[] m : meta) {
                int i = (int) m[0];
                offsets[i + 1] = m[1];
                if (m[1] > 0) {
                    long[] s = Arrays.copyOfRange(m, 2, 6);
                    if (shape != null && !Arrays.equals(shape, s)) {
                        throw new IllegalArgumentException("the DataSets disagree: some have " + describe(shape)
                                + ", others " + describe(s));
                    }
                    shape = s;
                }
            }
            for (int i = 1; i < offsets.length; i++) {
                offsets[i] += offsets[i - 1];
            }
            long total = offsets[offsets.length - 1];
            if (total < workers || total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the DataSets hold " + total + " examples; " + workers
                        + " workers need at least " + workers + " (and at most " + Integer.MAX_VALUE + ")");
            }
            int n = (int) total;
            JavaPairRDD<Integer, byte[]> pieces = JavaPairRDD.fromJavaRDD(chunks.mapPartitionsWithIndex(
                    (i, it) -> split(i, it, offsets[i], n, workers, seed), true));
            JavaRDD<byte[]> blocks = pieces.partitionBy(new HashPartitioner(workers))
                    .mapPartitionsWithIndex((p, it) -> assemble(p, it, n, workers, seed), true)
                    .persist(StorageLevel.MEMORY_ONLY());
            blocks.count();
            ModelShape modelShape = new ModelShape((int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3]);
            return new TrainingBlocks(blocks, modelShape, Partitioner.partSize(n, workers, workers - 1), n);
        } finally {
            chunks.unpersist(false);
        }
    }

    private static String describe(long[] s) {
        return s[0] + "x" + s[1] + "x" + s[2] + " examples with " + s[3] + " classes";
    }

    /** A MultiDataSet of one features and one labels array as a DataSet. */
    static DataSet single(MultiDataSet m) {
        if (m.numFeatureArrays() != 1 || m.numLabelsArrays() != 1) {
            throw new IllegalArgumentException("a MultiDataSet with " + m.numFeatureArrays() + " features and "
                    + m.numLabelsArrays() + " labels arrays; Lamina trains networks with one input and one output");
        }
        if (m.hasMaskArrays()) {
            throw new IllegalArgumentException("MultiDataSets with mask arrays are not supported");
        }
        return new DataSet(m.getFeatures(0), m.getLabels(0));
    }

    /** One partition's DataSets as one LabeledData in Lamina's bytes (nothing for an empty partition). */
    static Iterator<byte[]> toChunk(Iterator<DataSet> sets) {
        List<float[]> features = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        ImageShape shape = null;
        int classes = 0;
        int examples = 0;
        while (sets.hasNext()) {
            DataSet ds = sets.next();
            if (ds.getFeaturesMaskArray() != null || ds.getLabelsMaskArray() != null) {
                throw new IllegalArgumentException("DataSets with mask arrays are not supported");
            }
            ImageShape s = shapeOf(ds.getFeatures());
            int k = (int) ds.getLabels().size(1);
            if (shape != null && (!shape.equals(s) || k != classes)) {
                throw new IllegalArgumentException("the DataSets disagree: " + shape + " with " + classes
                        + " classes, then " + s + " with " + k);
            }
            shape = s;
            classes = k;
            features.add(ds.getFeatures().castTo(DataType.FLOAT).dup('c').data().asFloat());
            labels.add(classIndices(ds.getLabels()));
            examples += labels.get(labels.size() - 1).length;
        }
        if (examples == 0) {
            return List.<byte[]>of().iterator();
        }
        float[] x = new float[Math.multiplyExact(examples, shape.size())];
        int[] y = new int[examples];
        int at = 0;
        for (int i = 0; i < labels.size(); i++) {
            System.arraycopy(features.get(i), 0, x, at * shape.size(), features.get(i).length);
            System.arraycopy(labels.get(i), 0, y, at, labels.get(i).length);
            at += labels.get(i).length;
        }
        return List.of(LaminaBytes.write(new LabeledData(x, y, classes, shape))).iterator();
    }

    private static ImageShape shapeOf(INDArray f) {
        if (f.rank() == 2) {
            return ImageShape.flat((int) f.size(1));
        }
        if (f.rank() == 4) { // NCHW, flattened channel-major as InputType.convolutionalFlat expects
            return new ImageShape((int) f.size(1), (int) f.size(2), (int) f.size(3));
        }
        throw new IllegalArgumentException("DataSet features of rank " + f.rank() + " (shape "
                + Arrays.toString(f.shape()) + "); Lamina takes [examples, values] or [examples, channels, height, width]");
    }

    /** One-hot rows to class indices; anything else is not a classification label. */
    private static int[] classIndices(INDArray oneHot) {
        if (oneHot.rank() != 2) {
            throw new IllegalArgumentException("DataSet labels of rank " + oneHot.rank() + "; Lamina takes one-hot "
                    + "rows [examples, classes]");
        }
        int rows = (int) oneHot.size(0);
        int k = (int) oneHot.size(1);
        float[] v = oneHot.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int hot = -1;
            for (int c = 0; c < k; c++) {
                float x = v[r * k + c];
                if (x == 1f && hot < 0) {
                    hot = c;
                } else if (x != 0f) {
                    hot = -2;
                    break;
                }
            }
            if (hot < 0) {
                throw new IllegalArgumentException("DataSet labels must be one-hot rows (one 1, the rest 0); row " + r
                        + " is " + Arrays.toString(Arrays.copyOfRange(v, r * k, r * k + k)));
            }
            out[r] = hot;
        }
        return out;
    }

    private static Iterator<long[]> describe(Integer partition, Iterator<byte[]> chunk) {
        if (!chunk.hasNext()) {
            return List.of(new long[] {partition, 0, 0, 0, 0, 0}).iterator();
        }
        LabeledData d = LaminaBytes.read(chunk.next(), LabeledData.class);
        ImageShape s = d.shape();
        return List.of(new long[] {partition, d.numExamples(), s.channels(), s.height(), s.width(), d.numClasses()})
                .iterator();
    }

    /**
     * Source partition {@code i}'s examples (global indices from {@code offset}) cut by the block
     * that holds their shuffled position: one piece per block, a DataBlock whose source indices
     * are those positions.
     */
    private static Iterator<Tuple2<Integer, byte[]>> split(int i, Iterator<byte[]> chunk, long offset, int n,
            int workers, long seed) {
        if (!chunk.hasNext()) {
            return List.<Tuple2<Integer, byte[]>>of().iterator();
        }
        LabeledData d = LaminaBytes.read(chunk.next(), LabeledData.class);
        int[] order = Partitioner.shuffledOrder(n, seed);
        int[] position = new int[d.numExamples()];
        for (int pos = 0; pos < n; pos++) {
            long local = order[pos] - offset;
            if (local >= 0 && local < position.length) {
                position[(int) local] = pos;
            }
        }
        List<List<Integer>> byBlock = new ArrayList<>();
        for (int p = 0; p < workers; p++) {
            byBlock.add(new ArrayList<>());
        }
        for (int j = 0; j < position.length; j++) {
            byBlock.get(blockOf(position[j], n, workers)).add(j);
        }
        List<Tuple2<Integer, byte[]>> out = new ArrayList<>();
        for (int p = 0; p < workers; p++) {
            int[] locals = byBlock.get(p).stream().mapToInt(Integer::intValue).toArray();
            if (locals.length > 0) {
                int[] positions = Arrays.stream(locals).map(j -> position[j]).toArray();
                out.add(new Tuple2<>(p, LaminaBytes.write(new DataBlock(p, seed, d.select(locals), positions))));
            }
        }
        return out.iterator();
    }

    /** The block whose run of the shuffled order holds position {@code pos} (as {@link Partitioner} cuts it). */
    static int blockOf(int pos, int n, int workers) {
        int base = n / workers;
        int extra = n % workers;
        int big = extra * (base + 1); // the first `extra` blocks hold one example more
        return pos < big ? pos / (base + 1) : extra + (pos - big) / base;
    }

    /** Block {@code p} from its pieces: each example written at its position within the block's run. */
    private static Iterator<byte[]> assemble(int p, Iterator<Tuple2<Integer, byte[]>> pieces, int n, int workers,
            long seed) {
        int start = Partitioner.partStart(n, workers, p);
        int size = Partitioner.partSize(n, workers, p);
        float[] x = null;
        int[] y = new int[size];
        int filled = 0;
        ImageShape shape = null;
        int classes = 0;
        while (pieces.hasNext()) {
            Tuple2<Integer, byte[]> t = pieces.next();
            if (t._1() != p) {
                throw new IllegalStateException("block " + p + " received a piece of block " + t._1());
            }
            DataBlock piece = LaminaBytes.read(t._2(), DataBlock.class);
            if (x == null) {
                shape = piece.shape();
                classes = piece.numClasses();
                x = new float[Math.multiplyExact(size, shape.size())];
            }
            LabeledData d = piece.data();
            int f = shape.size();
            for (int i = 0; i < d.numExamples(); i++) {
                int slot = piece.sourceIndices()[i] - start;
                System.arraycopy(d.features(), i * f, x, slot * f, f);
                y[slot] = d.label(i);
            }
            filled += d.numExamples();
        }
        if (filled != size) {
            throw new IllegalStateException("block " + p + " received " + filled + " examples, expected " + size);
        }
        int[] sources = Arrays.copyOfRange(Partitioner.shuffledOrder(n, seed), start, start + size);
        return List.of(LaminaBytes.write(new DataBlock(p, seed, new LabeledData(x, y, classes, shape), sources)))
                .iterator();
    }
}
