package io.lamina.app.data;

import io.lamina.app.engine.protocol.LaminaBytes;
import io.lamina.datasets.ChunkPlan;
import io.lamina.datasets.DataBlock;
import io.lamina.datasets.DatasetException;
import io.lamina.datasets.FeatureStats;
import io.lamina.datasets.ImageShape;
import io.lamina.datasets.LabeledData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * A Spark {@code Dataset<Row>} for training and one for test: a features column (an array of
 * numbers, or an ML vector) and an integer label column. The Datasets' partitions are the chunks:
 * one pass counts and checks their rows and computes the statistics; then each source partition
 * sends each training partition its run of rows, as one blob of Lamina's bytes (a shuffle of
 * {@code (partition, byte[])}), and the blobs are put together in plan order. Nothing is collected
 * on the driver but figures.
 */
public final class RowsSource implements DataSource {

    private final Dataset<Row> train;
    private final Dataset<Row> test;
    private final String featuresColumn;
    private final String labelColumn;
    private final Normalizer.Method method;
    private final int classes;

    /** @param classes 0 = largest label + 1 */
    public RowsSource(Dataset<Row> train, Dataset<Row> test, String featuresColumn, String labelColumn,
            Normalizer.Method method, int classes) {
        this.train = train;
        this.test = test;
        this.featuresColumn = featuresColumn;
        this.labelColumn = labelColumn;
        this.method = method.or(Normalizer.Method.STANDARD);
        this.classes = classes;
    }

    @Override
    public long check(Configuration conf) {
        for (Dataset<Row> d : List.of(train, test)) {
            List<String> names = Arrays.asList(d.columns());
            for (String c : List.of(featuresColumn, labelColumn)) {
                if (!names.contains(c)) {
                    throw new DatasetException((d == train ? "training" : "test") + " Dataset: no column '" + c
                            + "'; its columns: " + String.join(", ", names));
                }
            }
        }
        return -1;
    }

    @Override
    public TrainingData open(JavaSparkContext sc) {
        check(null);
        JavaRDD<Row> trainRows = train.select(featuresColumn, labelColumn).javaRDD();
        JavaRDD<Row> testRows = test.select(featuresColumn, labelColumn).javaRDD();
        RowReader first = new RowReader(-1, 0, "training Dataset");
        List<Row> head = DataErrors.unwrapped(() -> trainRows.take(1));
        if (head.isEmpty()) {
            throw new DatasetException("training Dataset: no rows");
        }
        int features = first.features(head.get(0), 0, 0).length;
        RowReader trainReader = new RowReader(features, classes, "training Dataset");
        RowReader testReader = new RowReader(features, classes, "test Dataset");
        int trainChunks = trainRows.getNumPartitions();
        boolean stats = method != Normalizer.Method.NONE;
        JavaRDD<byte[]> summaries = trainRows.mapPartitionsWithIndex((p, rows) -> List.of(
                        trainReader.scan(p, p, rows, stats).toBytes()).iterator(), true)
                .union(testRows.mapPartitionsWithIndex((p, rows) -> List.of(
                        testReader.scan(p, trainChunks + p, rows, false).toBytes()).iterator(), true));
        ScanSummary s = ChunkScan.merge(sc, summaries, trainChunks + testRows.getNumPartitions(),
                "scan the training and test Datasets");
        long[] trainCounts = Arrays.copyOfRange(s.counts, 0, trainChunks);
        long[] testCounts = Arrays.copyOfRange(s.counts, trainChunks, s.counts.length);
        long trainTotal = Arrays.stream(trainCounts).sum();
        if (trainTotal == 0) {
            throw new DatasetException("training Dataset: no rows");
        }
        int numClasses = classes > 0 ? classes : s.maxLabel + 1;
        if (numClasses < 2) {
            throw new DatasetException("training Dataset: every label is " + s.maxLabel
                    + "; training needs at least 2 classes (labels 0..C-1)");
        }
        DataInfo info = new DataInfo(ImageShape.flat(features), numClasses, trainTotal, Arrays.stream(testCounts).sum());
        return new RowsData(info, Normalizer.of(method, s.stats, features), trainRows, testRows, trainCounts,
                testCounts, new RowReader(features, numClasses, "training Dataset"),
                new RowReader(features, numClasses, "test Dataset"));
    }

    @Override
    public String describe() {
        return "Dataset<Row> (" + featuresColumn + ", " + labelColumn + ")";
    }

    /** Reads the two columns (features at 0, label at 1) of the selected rows, checking them. */
    static final class RowReader implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final int features;
        private final int classes;
        private final String what;
        private transient java.lang.reflect.Method toArray;

        RowReader(int features, int classes, String what) {
            this.features = features;
            this.classes = classes;
            this.what = what;
        }

        private String where(int partition, long row) {
            return what + ", partition " + partition + ", row " + row;
        }

        /** The row's features (any count when {@code features} < 0). */
        float[] features(Row r, int partition, long row) {
            Object v = r.get(0);
            float[] x;
            if (v == null) {
                throw new DatasetException(where(partition, row) + ": the features are null");
            } else if (v instanceof scala.collection.Seq<?> || v instanceof List<?>) {
                List<?> list = v instanceof List<?> l ? l : r.getList(0);
                x = new float[list.size()];
                for (int j = 0; j < x.length; j++) {
                    x[j] = number(list.get(j), partition, row, "feature " + j);
                }
            } else if (v instanceof float[] f) {
                x = f.clone();
                for (int j = 0; j < x.length; j++) {
                    number(x[j], partition, row, "feature " + j);
                }
            } else {
                double[] d = v instanceof double[] a ? a : vector(v, partition, row);
                x = new float[d.length];
                for (int j = 0; j < d.length; j++) {
                    x[j] = number(d[j], partition, row, "feature " + j);
                }
            }
            if (features >= 0 && x.length != features) {
                throw new DatasetException(where(partition, row) + ": " + x.length + " features, expected " + features
                        + " (as the first row)");
            }
            return x;
        }

        /** An ML vector ({@code org.apache.spark.ml.linalg.Vector} or mllib's): both have {@code toArray()}. */
        private double[] vector(Object v, int partition, long row) {
            try {
                if (toArray == null || toArray.getDeclaringClass() != v.getClass()) {
                    toArray = v.getClass().getMethod("toArray");
                }
                Object a = toArray.invoke(v);
                if (a instanceof double[] d) {
                    return d;
                }
            } catch (ReflectiveOperationException e) {
                // not a vector: said below
            }
            throw new DatasetException(where(partition, row) + ": the features are a " + v.getClass().getName()
                    + "; expected an array of numbers or an ML vector");
        }

        private float number(Object o, int partition, long row, String name) {
            if (!(o instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new DatasetException(where(partition, row) + ": " + name + " is " + o + ", not a finite number");
            }
            return n.floatValue();
        }

        int label(Row r, int partition, long row) {
            Object o = r.get(1);
            if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 0
                    || n.doubleValue() >= Integer.MAX_VALUE) {
                throw new DatasetException(where(partition, row) + ": label " + o
                        + " is not a class: labels are integers 0..C-1");
            }
            if (classes > 0 && n.doubleValue() >= classes) {
                throw new DatasetException(where(partition, row) + ": label " + n.longValue() + " is outside the "
                        + classes + " classes 0.." + (classes - 1));
            }
            return n.intValue();
        }

        ScanSummary scan(int partition, int chunk, Iterator<Row> rows, boolean stats) {
            FeatureStats.Accumulator acc = new FeatureStats.Accumulator();
            long n = 0;
            int maxLabel = -1;
            while (rows.hasNext()) {
                Row r = rows.next();
                float[] x = features(r, partition, n);
                maxLabel = Math.max(maxLabel, label(r, partition, n));
                if (stats) {
                    acc.addDense(x, x.length);
                }
                n++;
            }
            return ScanSummary.ofChunk(chunk, n, acc.finish(), maxLabel, Integer.MAX_VALUE, -1);
        }
    }

    /** The opened rows: blocks and slices put together from the source partitions' runs. */
    private static final class RowsData implements TrainingData {
        private final DataInfo info;
        private final Normalizer normalizer;
        private final JavaRDD<Row> trainRows;
        private final JavaRDD<Row> testRows;
        private final long[] trainCounts;
        private final long[] testCounts;
        private final RowReader trainReader;
        private final RowReader testReader;
        private final List<Broadcast<byte[]>> broadcasts = new ArrayList<>();

        RowsData(DataInfo info, Normalizer normalizer, JavaRDD<Row> trainRows, JavaRDD<Row> testRows,
                long[] trainCounts, long[] testCounts, RowReader trainReader, RowReader testReader) {
            this.info = info;
            this.normalizer = normalizer;
            this.trainRows = trainRows;
            this.testRows = testRows;
            this.trainCounts = trainCounts;
            this.testCounts = testCounts;
            this.trainReader = trainReader;
            this.testReader = testReader;
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
            if (workers > info.trainExamples()) {
                throw new IllegalArgumentException("--workers " + workers + " is more than the " + info.trainExamples()
                        + " training rows");
            }
            return build(sc, trainRows, trainReader, ChunkPlan.cut(trainCounts, workers, seed, true), trainCounts,
                    seed, true);
        }

        @Override
        public JavaRDD<byte[]> testSlices(JavaSparkContext sc, int workers) {
            return build(sc, testRows, testReader, ChunkPlan.cut(testCounts, workers, 0, false), testCounts, 0, false);
        }

        private JavaRDD<byte[]> build(JavaSparkContext sc, JavaRDD<Row> rows, RowReader reader,
                List<List<ChunkPlan.Slice>> plan, long[] counts, long seed, boolean blocks) {
            Broadcast<byte[]> norm = sc.broadcast(normalizer.toBytes());
            broadcasts.add(norm);
            long[] first = ChunkPlan.firstIndices(counts);
            // per source partition: the (target, slice number, slice) it feeds
            List<List<long[]>> feeds = new ArrayList<>();
            for (int c = 0; c < counts.length; c++) {
                feeds.add(new ArrayList<>());
            }
            for (int p = 0; p < plan.size(); p++) {
                for (int k = 0; k < plan.get(p).size(); k++) {
                    ChunkPlan.Slice s = plan.get(p).get(k);
                    feeds.get(s.chunk()).add(new long[] {p, k, s.from(), s.to()});
                }
            }
            DataInfo meta = info;
            int n = plan.size();
            return rows.mapPartitionsWithIndex((c, it) -> pieces(c, it, feeds.get(c), first[c], reader, meta), true)
                    .mapToPair(t -> t)
                    .partitionBy(new HashPartitioner(n)) // keys are 0..n-1: key p goes to partition p
                    .values()
                    .mapPartitionsWithIndex((p, it) -> List.of(assemble(p, it, meta, norm.value(), seed, blocks))
                            .iterator(), true);
        }

        /** One source partition's rows cut into the runs that go to each target: (target, [slice no, first index, data]). */
        private static Iterator<Tuple2<Integer, byte[]>> pieces(int chunk, Iterator<Row> rows, List<long[]> feeds,
                long firstIndex, RowReader reader, DataInfo meta) {
            List<Tuple2<Integer, byte[]>> out = new ArrayList<>();
            long i = 0;
            for (long[] f : feeds) { // in ascending 'from' order: the plan cuts each chunk front to back
                Examples ex = new Examples(meta.featureSize(), f[3] - f[2]);
                for (; i < f[3] && rows.hasNext(); i++) {
                    Row r = rows.next();
                    if (i >= f[2]) {
                        int at = ex.add(reader.label(r, chunk, i), firstIndex + i);
                        System.arraycopy(reader.features(r, chunk, i), 0, ex.features(), at, meta.featureSize());
                    }
                }
                if (ex.size() != f[3] - f[2]) {
                    throw new DatasetException(reader.where(chunk, i) + ": the partition has fewer rows than counted"
                            + " (is the Dataset deterministic? cache it)");
                }
                byte[] data = LaminaBytes.write(ex.toData(meta.numClasses(), meta.shape()));
                int[] src = ex.sourceIndices();
                ByteBuffer b = ByteBuffer.allocate(8 + 4 * src.length + data.length);
                b.putInt((int) f[1]).putInt(src.length);
                for (int s : src) {
                    b.putInt(s);
                }
                out.add(new Tuple2<>((int) f[0], b.put(data).array()));
            }
            return out.iterator();
        }

        /** A target's pieces in slice order, concatenated and normalised: its block (or test slice) as bytes. */
        private static byte[] assemble(int p, Iterator<byte[]> pieces, DataInfo meta, byte[] norm, long seed,
                boolean block) {
            List<byte[]> list = new ArrayList<>();
            pieces.forEachRemaining(list::add);
            list.sort(Comparator.comparingInt(b -> ByteBuffer.wrap(b).getInt(0)));
            int f = meta.featureSize();
            int total = 0;
            for (byte[] b : list) {
                total += ByteBuffer.wrap(b).getInt(4);
            }
            float[] x = new float[Math.multiplyExact(total, f)];
            int[] y = new int[total];
            int[] src = new int[total];
            int at = 0;
            for (byte[] b : list) {
                ByteBuffer buf = ByteBuffer.wrap(b);
                buf.getInt();
                int n = buf.getInt();
                for (int i = 0; i < n; i++) {
                    src[at + i] = buf.getInt();
                }
                LabeledData d = LaminaBytes.read(Arrays.copyOfRange(b, buf.position(), b.length), LabeledData.class);
                System.arraycopy(d.features(), 0, x, at * f, n * f);
                System.arraycopy(d.labels(), 0, y, at, n);
                at += n;
            }
            LabeledData data = new LabeledData(x, y, meta.numClasses(), meta.shape());
            Normalizer.fromBytes(norm).apply(x, f);
            return block ? LaminaBytes.write(new DataBlock(p, seed, data, src)) : LaminaBytes.write(data);
        }

        @Override
        public void release() {
            broadcasts.forEach(b -> b.destroy(false));
            broadcasts.clear();
        }
    }
}
