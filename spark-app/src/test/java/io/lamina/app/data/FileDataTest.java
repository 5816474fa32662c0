package io.lamina.app.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.engine.protocol.LaminaBytes;
import io.lamina.app.spark.SparkContexts;
import io.lamina.datasets.DataBlock;
import io.lamina.datasets.DatasetException;
import io.lamina.datasets.IdxImages;
import io.lamina.datasets.IdxLabels;
import io.lamina.datasets.IdxWriter;
import io.lamina.datasets.LabeledData;
import io.lamina.datasets.Partitioner;
import io.lamina.datasets.TrainTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data read by the executors: every training example in exactly one block, the same blocks on
 * every run, test slices in stored order, the normalisation against a slow reference, and bad
 * input named by file and line, on {@code local[2]}.
 */
class FileDataTest {

    private static JavaSparkContext sc;
    private static DataFilesFixture fx;
    @TempDir
    static Path dir;
    private static Path trainCsv;
    private static Path testCsv;

    @BeforeAll
    static void start() throws Exception {
        sc = SparkContexts.create("local[2]", "file-data-test");
        fx = new DataFilesFixture();
        trainCsv = DataFilesFixture.csv(fx.data.train(), dir.resolve("train"), true, 3); // a folder of 3 part files
        testCsv = DataFilesFixture.csv(fx.data.test(), dir.resolve("test.csv"), true, 1);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static TextSource csv(Path train, Path test, String normalize, int classes) {
        return new TextSource(train.toString(), test.toString(), "csv", 0, true, Normalizer.Method.parse(normalize),
                classes, 0);
    }

    static List<DataBlock> blocks(TrainingData d, int workers, long seed) {
        return d.trainBlocks(sc, workers, seed).collect().stream().map(b -> LaminaBytes.read(b, DataBlock.class)).toList();
    }

    static LabeledData testSet(TrainingData d, int workers) {
        List<LabeledData> slices = d.testSlices(sc, workers).collect().stream()
                .map(b -> LaminaBytes.read(b, LabeledData.class)).toList();
        int n = slices.stream().mapToInt(LabeledData::numExamples).sum();
        LabeledData first = slices.get(0);
        float[] x = new float[n * first.featureSize()];
        int[] y = new int[n];
        int at = 0;
        for (LabeledData s : slices) {
            System.arraycopy(s.features(), 0, x, at * first.featureSize(), s.features().length);
            System.arraycopy(s.labels(), 0, y, at, s.numExamples());
            at += s.numExamples();
        }
        return new LabeledData(x, y, first.numClasses(), first.shape());
    }

    /** Every example of {@code expected} in exactly one block, at its source index, sizes within one. */
    static void assertEveryExampleOnce(LabeledData expected, List<DataBlock> blocks) {
        int f = expected.featureSize();
        boolean[] seen = new boolean[expected.numExamples()];
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (DataBlock b : blocks) {
            min = Math.min(min, b.numExamples());
            max = Math.max(max, b.numExamples());
            LabeledData d = b.data();
            for (int i = 0; i < b.numExamples(); i++) {
                int src = b.sourceIndices()[i];
                assertTrue(!seen[src], "example " + src + " twice");
                seen[src] = true;
                assertEquals(expected.label(src), d.label(i), "label of example " + src);
                assertArrayEquals(Arrays.copyOfRange(expected.features(), src * f, src * f + f),
                        Arrays.copyOfRange(d.features(), i * f, i * f + f), "features of example " + src);
            }
        }
        for (int i = 0; i < seen.length; i++) {
            assertTrue(seen[i], "example " + i + " in no block");
        }
        assertTrue(max - min <= 1, "block sizes " + min + ".." + max);
    }

    @Test
    void inMemoryBlocksAreBitForBitTheOnesTheEngineAlwaysBuilt() {
        TrainTestData d = fx.data;
        InMemoryData data = new InMemoryData(d);
        List<byte[]> blocks = data.trainBlocks(sc, 3, 42).collect();
        List<byte[]> slices = data.testSlices(sc, 3).collect();
        for (int p = 0; p < 3; p++) {
            assertArrayEquals(LaminaBytes.write(Partitioner.block(d.train(), 3, p, 42)), blocks.get(p), "block " + p);
            assertArrayEquals(LaminaBytes.write(Partitioner.evaluationSlices(d.test(), 3).get(p)), slices.get(p));
        }
        data.release();
    }

    @Test
    void csvBlocksHoldEveryExampleOnceAndAreTheSameOnEveryRun() {
        TrainingData d = csv(trainCsv, testCsv, "none", 0).open(sc);
        assertEquals(new DataInfo(io.lamina.datasets.ImageShape.flat(784), 10, DataFilesFixture.TRAIN, DataFilesFixture.TEST),
                d.info());
        List<DataBlock> blocks = blocks(d, 3, 7);
        assertEveryExampleOnce(fx.data.train(), blocks);
        TrainingData again = csv(trainCsv, testCsv, "none", 0).open(sc);
        List<byte[]> a = d.trainBlocks(sc, 3, 7).collect();
        List<byte[]> b = again.trainBlocks(sc, 3, 7).collect();
        for (int p = 0; p < 3; p++) {
            assertArrayEquals(a.get(p), b.get(p), "block " + p + " differs between two runs");
        }
        LabeledData test = testSet(d, 3);
        assertArrayEquals(fx.data.test().features(), test.features(), "test slices are the test set in stored order");
        assertArrayEquals(fx.data.test().labels(), test.labels());
        d.release();
        again.release();
    }

    @Test
    void libsvmZeroAndOneBasedReadAsTheSameExamples() throws Exception {
        Path one = DataFilesFixture.libsvm(fx.data.train(), dir.resolve("train1.libsvm"), 1);
        Path zero = DataFilesFixture.libsvm(fx.data.train(), dir.resolve("train0.svm"), 0);
        Path test = DataFilesFixture.libsvm(fx.data.test(), dir.resolve("test1.libsvm"), 1);
        TrainingData d = new TextSource(one.toString(), test.toString(), "auto", 0, false, Normalizer.Method.NONE, 0,
                784).open(sc);
        assertEquals(784, d.info().featureSize());
        assertEveryExampleOnce(fx.data.train(), blocks(d, 2, 1));
        assertArrayEquals(fx.data.test().features(), testSet(d, 2).features());
        d.release();

        // zero-based, the number of features from the data: up to the last pixel that is ever non-zero
        int last = 0;
        for (LabeledData s : List.of(fx.data.train(), fx.data.test())) {
            for (int i = 0; i < s.features().length; i++) {
                if (s.features()[i] != 0) {
                    last = Math.max(last, i % 784);
                }
            }
        }
        Path test0 = DataFilesFixture.libsvm(fx.data.test(), dir.resolve("test0.svm"), 0);
        TrainingData z = new TextSource(zero.toString(), test0.toString(), "auto", 0, false, Normalizer.Method.NONE,
                0, 0).open(sc);
        assertEquals(last + 1, z.info().featureSize());
        assertEquals(10, z.info().numClasses());
        for (DataBlock b : blocks(z, 2, 1)) {
            for (int i = 0; i < b.numExamples(); i++) {
                int src = b.sourceIndices()[i];
                assertArrayEquals(Arrays.copyOfRange(fx.data.train().features(), src * 784, src * 784 + last + 1),
                        Arrays.copyOfRange(b.data().features(), i * (last + 1), (i + 1) * (last + 1)));
            }
        }
        z.release();
    }

    /** Mean and population standard deviation of feature j in double, two passes: the slow reference. */
    private static double[] meanStd(LabeledData d, int j) {
        int f = d.featureSize();
        double sum = 0;
        for (int i = 0; i < d.numExamples(); i++) {
            sum += d.features()[i * f + j];
        }
        double mean = sum / d.numExamples();
        double ss = 0;
        for (int i = 0; i < d.numExamples(); i++) {
            double e = d.features()[i * f + j] - mean;
            ss += e * e;
        }
        return new double[] {mean, Math.sqrt(ss / d.numExamples())};
    }

    @Test
    void normalisationMatchesASlowReferenceAndIsAppliedToTrainAndTest() throws Exception {
        LabeledData train = fx.data.train();
        TrainingData std = csv(trainCsv, testCsv, "auto", 0).open(sc);
        Normalizer n = std.normalizer();
        assertEquals(Normalizer.Method.STANDARD, n.method(), "CSV standardises by default");
        Path saved = n.write(Files.createDirectories(dir.resolve("norm")));
        Normalizer back = Normalizer.read(saved);
        float[] one = new float[784];
        Arrays.fill(one, 1f);
        float[] shifts = back.transform(one, 784); // (1 - shift) * scale per feature
        for (int j = 0; j < 784; j++) {
            double[] ms = meanStd(train, j);
            float expected = ms[1] > 0 ? (float) ((1 - (float) ms[0]) * (float) (1 / ms[1])) : 1 - (float) ms[0];
            assertEquals(expected, shifts[j], 1e-5 * Math.max(1, Math.abs(expected)), "feature " + j);
        }
        // a constant feature (column 2): scale 1, it becomes 0 whatever the method, never a division by zero
        Path c = text("constant.csv", "y,a,b\n1,0.5,5\n0,1.5,5\n1,2,5\n");
        for (String method : List.of("standard", "minmax")) {
            TrainingData d = csv(c, c, method, 0).open(sc);
            float[] rows = new float[] {1, 5, 1.5f, 5};
            d.normalizer().apply(rows, 2);
            assertEquals(0f, rows[1], 0f, method);
            assertEquals(0f, rows[3], 0f, method);
            assertTrue(Float.isFinite(rows[0]) && rows[2] > rows[0], method);
            d.release();
        }
        // the blocks and the test slices carry the transform the normaliser describes, bit for bit
        LabeledData raw = new LabeledData(train.features().clone(), train.labels(), 10, train.shape());
        n.apply(raw.features(), 784);
        assertEveryExampleOnce(raw, blocks(std, 2, 3));
        assertArrayEquals(n.transform(fx.data.test().features(), 784), testSet(std, 2).features());
        std.release();

        TrainingData mm = csv(trainCsv, testCsv, "minmax", 0).open(sc);
        for (DataBlock b : blocks(mm, 2, 3)) {
            for (float v : b.data().features()) {
                assertTrue(v >= 0 && v <= 1, "min-max scaled training value " + v);
            }
        }
        mm.release();
    }

    @Test
    void idxFilesAreReadByTheExecutorsRecordRangeByRecordRange() throws Exception {
        Path idx = Files.createDirectories(dir.resolve("idx"));
        for (String split : List.of("train", "t10k")) {
            LabeledData d = split.equals("train") ? fx.data.train() : fx.data.test();
            byte[] pixels = new byte[d.features().length];
            byte[] labels = new byte[d.numExamples()];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (byte) d.features()[i];
            }
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (byte) d.label(i);
            }
            IdxWriter.writeImages(idx.resolve(split + "-images-idx3-ubyte"), new IdxImages(d.numExamples(), 28, 28, pixels),
                    split.equals("train"));
            IdxWriter.writeLabels(idx.resolve(split + "-labels-idx1-ubyte"), new IdxLabels(labels), false);
        }
        IdxSource source = new IdxSource(idx.toString(), 10, Normalizer.Method.AUTO);
        assertEquals(DataFilesFixture.TRAIN, source.check(new org.apache.hadoop.conf.Configuration()));
        TrainingData d = source.open(sc);
        assertEquals(Normalizer.Method.NONE, d.normalizer().method(), "IDX keeps its /255 and nothing more");
        LabeledData scaled = io.lamina.datasets.IdxDataset.load(idx.toString()).train();
        assertEveryExampleOnce(new LabeledData(scaled.features(), scaled.labels(), 10,
                io.lamina.datasets.ImageShape.flat(784)), flat(blocks(d, 3, 5)));
        d.release();

        TrainingData five = new IdxSource(idx.toString(), 5, Normalizer.Method.NONE).open(sc);
        String m = dataError(() -> five.trainBlocks(sc, 2, 1).count());
        assertTrue(m.contains("train-labels-idx1-ubyte") && m.contains("is out of range 0..4"), m);
        five.release();
    }

    private static List<DataBlock> flat(List<DataBlock> blocks) {
        List<DataBlock> out = new ArrayList<>();
        for (DataBlock b : blocks) {
            LabeledData d = b.data();
            out.add(new DataBlock(b.partition(), b.seed(), new LabeledData(d.features(), d.labels(), d.numClasses(),
                    io.lamina.datasets.ImageShape.flat(d.featureSize())), b.sourceIndices()));
        }
        return out;
    }

    /** The message a data error reaches the driver with, unwrapped from Spark's job failure. */
    private static String dataError(Supplier<?> job) {
        DatasetException e = assertThrows(DatasetException.class, () -> DataErrors.unwrapped(job));
        return e.getMessage();
    }

    private static Path text(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    /** A big CSV (several byte ranges) with {@code bad} as line {@code lineNo}. */
    private static Path bigCsvWith(String name, int lineNo, String bad) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 40_000; i++) {
            sb.append(i == lineNo ? bad : (i % 3) + ",0.25,1.5,-2,7.125,1e-3,3").append('\n');
        }
        return text(name, sb.toString());
    }

    @Test
    void badLinesFoundOnTheExecutorsAreNamedByFileAndLine() throws Exception {
        Path small = text("ok.csv", "1,2,3,4,5,6,7\n0,2,3,4,5,6,7\n");
        Path columns = bigCsvWith("columns.csv", 31_234, "1,2,3");
        String m = dataError(() -> new TextSource(columns.toString(), small.toString(), "auto", 0, false,
                Normalizer.Method.AUTO, 0, 0).open(sc));
        assertTrue(m.startsWith("file:" + columns + ", line 31234: has 3 columns, expected 7"), m);
        assertTrue(Files.size(columns) > 1 << 20, "the bad line should be beyond the first byte range");

        Path nan = bigCsvWith("nan.csv", 39_999, "1,2,3,4,5,six,7");
        m = dataError(() -> new TextSource(nan.toString(), small.toString(), "auto", 0, false,
                Normalizer.Method.AUTO, 0, 0).open(sc));
        assertTrue(m.startsWith("file:" + nan + ", line 39999: column 6 'six' is not a finite number"), m);

        Path label = bigCsvWith("label.csv", 20_000, "3,2,3,4,5,6,7");
        m = dataError(() -> new TextSource(label.toString(), small.toString(), "auto", 0, false,
                Normalizer.Method.AUTO, 3, 0).open(sc));
        assertTrue(m.startsWith("file:" + label + ", line 20000: label 3 is outside the 3 classes 0..2"), m);

        Path pair = text("pair.libsvm", "1 1:2 3:4\n0 2:1\n1 5=3\n");
        Path okSvm = text("ok.libsvm", "0 1:1\n1 2:1\n");
        m = dataError(() -> new TextSource(pair.toString(), okSvm.toString(), "auto", 0, false,
                Normalizer.Method.AUTO, 0, 0).open(sc));
        assertTrue(m.startsWith("file:" + pair + ", line 3: pair '5=3' is not index:value"), m);

        // zero-based (index 0 appears) with --features 4: index 4 is out of range, known only once all is read
        Path range = text("range.libsvm", "1 0:1 2:3\n0 4:1\n");
        TrainingData d = new TextSource(range.toString(), okSvm.toString(), "auto", 0, false, Normalizer.Method.NONE, 0,
                4).open(sc);
        m = dataError(() -> d.trainBlocks(sc, 1, 1).count());
        assertTrue(m.startsWith("file:" + range + ", line 2: index 4 is out of range: allowed 0..3 (zero-based, 4 "
                + "features: --features 4)"), m);
        d.release();
        Path tooBig = text("toobig.libsvm", "1 1:1 9:3\n0 4:1\n");
        m = dataError(() -> new TextSource(tooBig.toString(), okSvm.toString(), "auto", 0, false,
                Normalizer.Method.AUTO, 0, 4).open(sc));
        assertTrue(m.startsWith("file:" + tooBig + ", line 1: index 9 is out of range"), m);

        // a part file with nothing but a header, in a folder of good ones
        Path folder = Files.createDirectories(dir.resolve("withEmpty"));
        Files.writeString(folder.resolve("part-0.csv"), "y,a\n1,2\n0,3\n");
        Files.writeString(folder.resolve("part-1.csv"), "y,a\n\n");
        Path t = text("t.csv", "y,a\n1,2\n");
        m = dataError(() -> new TextSource(folder.toString(), t.toString(), "auto", 0, true, Normalizer.Method.AUTO, 0,
                0).open(sc));
        assertTrue(m.contains("part-1.csv: no examples"), m);
    }

    @Test
    void badInputTheDriverSeesIsNamedBeforeAnyJob() throws Exception {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        Path good = text("good.csv", "1,2,3\n0,1,1\n");
        java.util.function.BiFunction<String, String, String> check = (train, test) -> assertThrows(
                DatasetException.class, () -> new TextSource(train, test, "auto", 0, false, Normalizer.Method.AUTO, 0, 0)
                        .check(conf)).getMessage();
        String m = check.apply(dir.resolve("nowhere.csv").toString(), good.toString());
        assertTrue(m.contains("nowhere.csv: not found (--train)"), m);
        m = check.apply(good.toString(), text("empty.csv", "").toString());
        assertTrue(m.contains("empty.csv: the file is empty (--test)"), m);
        m = check.apply(good.toString(), text("blank.csv", "\n \n").toString());
        assertTrue(m.contains("blank.csv: no examples"), m);
        m = check.apply(text("data.txt", "1,2\n").toString(), good.toString());
        assertTrue(m.contains("cannot tell the format") && m.contains("--format csv|libsvm"), m);
        m = check.apply(good.toString(), text("short.csv", "1,2\n").toString());
        assertTrue(m.contains("short.csv, line 1: has 2 columns, expected 3"), m);
        m = check.apply(text("first.csv", "1,x,3\n").toString(), good.toString());
        assertTrue(m.contains("first.csv, line 1: column 2 'x' is not a finite number"), m);
        m = assertThrows(DatasetException.class, () -> new TextSource(good.toString(), good.toString(), "csv", 3, false,
                Normalizer.Method.AUTO, 0, 0).check(conf)).getMessage();
        assertTrue(m.contains("--label-column 3 but the first line has 3 columns (0..2)"), m);
        Path unreadable = text("locked.csv", "1,2\n");
        if (unreadable.toFile().setReadable(false) && !Files.isReadable(unreadable)) { // not as root
            m = check.apply(unreadable.toString(), good.toString());
            assertTrue(m.contains("locked.csv"), m);
        }
    }
}
