package io.lamina.app.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.api.Lamina;
import io.lamina.app.api.TrainingResult;
import io.lamina.app.spark.SparkContexts;
import io.lamina.datasets.DatasetException;
import io.lamina.datasets.LabeledData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Training runs on {@code local[2]} from CSV files and from Spark rows, through the Java API. */
class TrainFromFilesTest {

    private static JavaSparkContext sc;
    private static DataFilesFixture fx;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        sc = SparkContexts.create("local[2]", "train-from-files-test");
        fx = new DataFilesFixture();
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** Accuracy of {@code net} on {@code test} after {@code n}'s transform: what a user of model.zip computes. */
    private static double accuracy(MultiLayerNetwork net, Normalizer n, LabeledData test) {
        float[] x = n.transform(test.features(), test.featureSize());
        INDArray out = net.output(Nd4j.create(x, new long[] {test.numExamples(), test.featureSize()}));
        int correct = 0;
        for (int i = 0; i < test.numExamples(); i++) {
            correct += out.getRow(i).argMax().getInt(0) == test.label(i) ? 1 : 0;
        }
        return (double) correct / test.numExamples();
    }

    @Test
    void trainsFromCsvFilesAndTheSavedNormalizerReproducesTheAccuracy() throws Exception {
        Path train = DataFilesFixture.csv(fx.data.train(), dir.resolve("train.csv"), false, 1);
        Path test = DataFilesFixture.csv(fx.data.test(), dir.resolve("test.csv"), false, 1);
        TrainingResult r = Lamina.trainer(sc).model("mlp").train(train.toString()).test(test.toString())
                .steps(40).batchPerWorker(32).output(dir.resolve("run")).quiet().fit();
        assertEquals("completed", r.status());
        assertTrue(r.testAccuracy() > 0.6, "accuracy " + r.testAccuracy());
        assertEquals("standard", r.summary().get("normalizer"));
        assertEquals(DataFilesFixture.TRAIN, ((Number) r.summary().get("train_examples")).intValue());
        Normalizer n = r.normalizer();
        assertEquals(784, n.features());
        // model.zip + normalizer.json score the raw test rows as the distributed evaluation did
        assertEquals(r.testAccuracy(), accuracy(r.multiLayerNetwork(), n, fx.data.test()), 1.0 / DataFilesFixture.TEST);
        // without the transform the same model does worse: the normaliser is not decoration
        assertTrue(accuracy(r.multiLayerNetwork(), Normalizer.none(), fx.data.test()) < r.testAccuracy());
    }

    private static Dataset<Row> rows(SparkSession spark, LabeledData d, int partitions) {
        List<Row> rows = new ArrayList<>();
        int f = d.featureSize();
        for (int i = 0; i < d.numExamples(); i++) {
            rows.add(RowFactory.create(java.util.Arrays.copyOfRange(d.features(), i * f, i * f + f), d.label(i)));
        }
        StructType schema = new StructType()
                .add("pixels", DataTypes.createArrayType(DataTypes.FloatType))
                .add("y", DataTypes.IntegerType);
        // partitions from a parallelized list keep their rows' order on every recomputation
        return spark.createDataFrame(sc.parallelize(rows, partitions), schema);
    }

    @Test
    void datasetRowsAreShuffledIntoBlocksOnceEachAndTrain() {
        SparkSession spark = SparkSession.builder().getOrCreate(); // on the running context
        Dataset<Row> train = rows(spark, fx.data.train(), 3);
        Dataset<Row> test = rows(spark, fx.data.test(), 2);
        RowsSource source = new RowsSource(train, test, "pixels", "y", Normalizer.Method.NONE, 0);
        TrainingData d = source.open(sc);
        assertEquals(new DataInfo(io.lamina.datasets.ImageShape.flat(784), 10, DataFilesFixture.TRAIN,
                DataFilesFixture.TEST), d.info());
        FileDataTest.assertEveryExampleOnce(fx.data.train(), blocksOf(d, 3, 9));
        assertArrayEquals(fx.data.test().labels(), testLabels(d, 2), "test slices in stored order");
        d.release();

        TrainingResult r = Lamina.trainer(sc).model("mlp").steps(30).batchPerWorker(32)
                .output(dir.resolve("rows")).quiet().fit(train, test, "pixels", "y");
        assertTrue(r.testAccuracy() > 0.5, "accuracy " + r.testAccuracy());
        assertEquals("standard", r.normalizer().method().cliName(), "rows are standardised by default");

        DatasetException e = assertThrows(DatasetException.class, () -> Lamina.trainer(sc).model("mlp").quiet()
                .fit(train, test, "features", "y"));
        assertTrue(e.getMessage().contains("no column 'features'") && e.getMessage().contains("pixels"), e.getMessage());
    }

    private static List<io.lamina.datasets.DataBlock> blocksOf(TrainingData d, int workers, long seed) {
        return d.trainBlocks(sc, workers, seed).collect().stream()
                .map(b -> io.lamina.app.engine.protocol.LaminaBytes.read(b, io.lamina.datasets.DataBlock.class)).toList();
    }

    private static int[] testLabels(TrainingData d, int workers) {
        return d.testSlices(sc, workers).collect().stream()
                .map(b -> io.lamina.app.engine.protocol.LaminaBytes.read(b, LabeledData.class))
                .flatMapToInt(s -> java.util.Arrays.stream(s.labels())).toArray();
    }

    /** What an ML vector looks like to the reader: an object with {@code double[] toArray()}. */
    public static final class FakeVector {
        private final double[] values;

        FakeVector(double... values) {
            this.values = values;
        }

        public double[] toArray() {
            return values.clone();
        }
    }

    @Test
    void rowsReadVectorsAndArraysAndNameTheBadRow() {
        RowsSource.RowReader reader = new RowsSource.RowReader(3, 4, "training Dataset");
        assertArrayEquals(new float[] {1, 2.5f, -3}, reader.features(RowFactory.create(new FakeVector(1, 2.5, -3), 1),
                0, 0));
        assertArrayEquals(new float[] {1, 2, 3}, reader.features(RowFactory.create(List.of(1, 2L, 3.0), 1), 0, 0));
        assertEquals(3, reader.label(RowFactory.create(null, 3.0), 0, 0));
        String m = assertThrows(DatasetException.class,
                () -> reader.features(RowFactory.create(List.of(1, 2), 1), 2, 17)).getMessage();
        assertEquals("training Dataset, partition 2, row 17: 2 features, expected 3 (as the first row)", m);
        m = assertThrows(DatasetException.class, () -> reader.label(RowFactory.create(null, 4), 1, 5)).getMessage();
        assertTrue(m.contains("partition 1, row 5: label 4 is outside the 4 classes 0..3"), m);
        m = assertThrows(DatasetException.class, () -> reader.label(RowFactory.create(null, 1.5), 0, 0)).getMessage();
        assertTrue(m.contains("label 1.5 is not a class"), m);
        m = assertThrows(DatasetException.class,
                () -> reader.features(RowFactory.create(List.of(1, Double.NaN, 2), 1), 0, 3)).getMessage();
        assertTrue(m.contains("feature 1 is NaN, not a finite number"), m);
        m = assertThrows(DatasetException.class, () -> reader.features(RowFactory.create("text", 1), 0, 0)).getMessage();
        assertTrue(m.contains("expected an array of numbers or an ML vector"), m);
    }
}
