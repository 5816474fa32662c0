package io.lamina.app.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.app.engine.driver.TrainingBlocks;
import io.lamina.app.engine.protocol.LaminaBytes;
import io.lamina.app.model.Dl4jNet;
import io.lamina.app.model.ModelKind;
import io.lamina.app.model.ModelShape;
import io.lamina.app.model.Models;
import io.lamina.app.spark.SparkContexts;
import io.lamina.datasets.DataBlock;
import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.LabeledData;
import io.lamina.datasets.Partitioner;
import io.lamina.datasets.TrainTestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** DL4J's Spark API (SparkDl4jMultiLayer, SparkComputationGraph) training through Lamina's engine. */
class LaminaTrainingMasterTest {

    private static final ModelShape FASHION = new ModelShape(1, 28, 28, 10);
    private static JavaSparkContext sc;
    private static TrainTestData data;

    @BeforeAll
    static void startSpark() {
        // DL4J's Spark API refuses Kryo without ND4J's registrator (DataSets hold INDArrays)
        SparkConf conf = SparkContexts.configure(new SparkConf(), "local[2]", "lamina-training-master-test");
        conf.set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        sc = new JavaSparkContext(conf);
        data = EmbeddedData.load();
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    /** The examples in order as DataSets of {@code per} examples (the last one shorter), over {@code slices} partitions. */
    private static JavaRDD<DataSet> rdd(LabeledData d, int per, int slices) {
        List<DataSet> sets = new ArrayList<>();
        int f = d.featureSize();
        for (int from = 0; from < d.numExamples(); from += per) {
            int n = Math.min(per, d.numExamples() - from);
            LabeledData s = d.slice(from, from + n);
            float[] oneHot = new float[n * d.numClasses()];
            for (int i = 0; i < n; i++) {
                oneHot[i * d.numClasses() + s.label(i)] = 1;
            }
            sets.add(new DataSet(Nd4j.create(s.features(), new long[] {n, f}, 'c'),
                    Nd4j.create(oneHot, new long[] {n, d.numClasses()}, 'c')));
        }
        return sc.parallelize(sets, slices);
    }

    private static MultiLayerConfiguration mlpConf(long seed) {
        // the built-in MLP with Lamina's default optimizer, as lamina train builds it
        return MultiLayerConfiguration.fromJson(Models.create(ModelKind.MLP, FASHION,
                TrainConfig.defaults().optimizer().toUpdater(1), seed).configJson());
    }

    private static double accuracy(Dl4jNet net, LabeledData test) {
        float[] p = net.output(test.features(), test.numExamples());
        int k = test.numClasses();
        int right = 0;
        for (int i = 0; i < test.numExamples(); i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                best = p[i * k + c] > p[i * k + best] ? c : best;
            }
            right += best == test.label(i) ? 1 : 0;
        }
        return right / (double) test.numExamples();
    }

    @Test
    void theBlocksAreThoseLaminaTrainCutsFromTheSameExamples() {
        LabeledData train = data.train().slice(0, 1037);
        int before = sc.getPersistentRDDs().size();
        TrainingBlocks blocks = DataSetBlocks.of(rdd(train, 50, 3), 3, 7);
        List<byte[]> got = blocks.blocks().collect(); // test only: the training never collects them
        assertEquals(3, got.size());
        for (int p = 0; p < 3; p++) {
            DataBlock expected = Partitioner.block(train, 3, p, 7);
            DataBlock actual = LaminaBytes.read(got.get(p), DataBlock.class);
            assertEquals(p, actual.partition());
            assertArrayEquals(expected.sourceIndices(), actual.sourceIndices());
            assertArrayEquals(expected.data().labels(), actual.data().labels());
            assertArrayEquals(expected.data().features(), actual.data().features());
        }
        assertEquals(new ModelShape(1, 1, 784, 10), blocks.shape(), "flat DataSets: only the size is known");
        assertEquals(345, blocks.smallestBlock());
        blocks.blocks().unpersist(true);
        assertEquals(before, sc.getPersistentRDDs().size(), "the intermediate chunks are freed");
    }

    @Test
    void sparkDl4jMultiLayerGivesTheEnginesParametersBitForBit() {
        TrainConfig c = TrainConfig.defaults().with(TrainSetting.MODEL, "mlp").with(TrainSetting.WORKERS, 2)
                .with(TrainSetting.BATCH, 32).with(TrainSetting.STEPS, 12L).with(TrainSetting.SEED, 5L);
        TrainTestData small = new TrainTestData(data.train().slice(0, 1200), data.test().slice(0, 100));
        DistributedTrainer engine = new DistributedTrainer(sc, c, small);
        float[] expected;
        try {
            engine.fit();
            expected = engine.master().params();
        } finally {
            engine.close();
        }

        LaminaTrainingMaster tm = new LaminaTrainingMaster.Builder().workers(2).batchSizePerWorker(32).steps(12)
                .seed(5).build();
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, mlpConf(5), tm);
        MultiLayerNetwork fitted = spark.fit(rdd(small.train(), 64, 3));
        assertArrayEquals(expected, new Dl4jNet(fitted).params());
        assertEquals(12, fitted.getIterationCount());
        assertEquals(12, tm.lastRun().steps());
        assertEquals(1, fitted.getEpochCount(), "SparkDl4jMultiLayer counts the fit as an epoch");
    }

    /**
     * Top-k 1% with error feedback (the optimizer on the workers, auto's choice) against {@code none},
     * MLP, 2 workers x 32, 2 epochs (186 steps), averaged over seeds 42 and 1. The TrainingMaster gives
     * the same accuracy as {@code lamina train --model mlp --workers 2 --batch 32 --epochs 2} (81.3% and
     * 79.1% at seed 42 through both). At this length one seed's final accuracy scatters by about two
     * points either way (test accuracy %, none / Top-k, gap; lamina train, same bits as here):
     *
     * <pre>
     *   epochs  seed 42            seed 1             seed 7
     *   2       81.3 79.1  +2.2    77.7 80.6  -2.9    76.8 76.6  +0.2
     *   3       79.7 79.1  +0.6    83.5 81.8  +1.7    81.0 77.2  +3.8
     *   4       80.9 82.1  -1.2    82.4 80.3  +2.1
     *   6       80.7 79.3  +1.4    80.7 79.5  +1.2
     * </pre>
     *
     * so one seed is no test of a 2-point claim; the mean of two is: at 2 epochs -0.35 points for
     * seeds 42 and 1 (+1.2 for 42 and 7, -1.35 for 1 and 7; -0.2 over all three). What did not
     * narrow it: a linear learning-rate decay (gaps +3.0 / +0.4 / -0.7), Top-k's density warm-up over
     * the first epoch (+6.1 / -1.4 at seeds 42 / 1), Adam 1e-3 instead of 2e-3 (+6.1 / +3.7 / +2.7).
     */
    @Test
    void topKWithResidualTrainsWithinTwoPointsOfNoneOverTwoSeeds() {
        String[] compressors = {"none", "topk:0.01"};
        long[] seeds = {42, 1};
        double[] mean = new double[2];
        long[] up = new long[2];
        for (long seed : seeds) {
            for (int i = 0; i < 2; i++) {
                LaminaTrainingMaster tm = new LaminaTrainingMaster.Builder().workers(2).batchSizePerWorker(32)
                        .epochs(2).compressor(compressors[i]).memory(i == 0 ? "none" : "residual").seed(seed).build();
                SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, mlpConf(seed), tm);
                double acc = accuracy(new Dl4jNet(spark.fit(rdd(data.train(), 100, 4))), data.test());
                assertTrue(acc > 0.7, compressors[i] + " trains at seed " + seed + ": " + acc);
                mean[i] += acc / seeds.length;
                up[i] += tm.lastRun().uplinkBytes();
                assertEquals(186, tm.lastRun().steps(), "2 epochs of 3,000 examples per worker, 32 at a time");
            }
        }
        assertTrue(mean[1] >= mean[0] - 0.02, "topk:0.01 + residual " + mean[1] + " vs none " + mean[0]);
        assertTrue(up[1] * 20 < up[0], "topk sends far fewer bytes: " + up[1] + " vs " + up[0]);
    }

    private static LaminaTrainingMaster.Builder small(String compressor, int epochs) {
        return new LaminaTrainingMaster.Builder().workers(2).batchSizePerWorker(32).epochs(epochs).seed(3)
                .compressor(compressor).memory(compressor.equals("none") ? "none" : "residual");
    }

    /**
     * {@code for (e = 0; e < 2; e++) spark.fit(rdd)} is one run of two epochs, bit for bit: the
     * second fit continues the step counter (epoch 1's minibatch order) with the workers'
     * residuals and (Top-k: optimizer on the workers) updater states. The same RDD gives the same
     * blocks on every fit: DataSetBlocks cuts them from the examples in RDD order and the seed only.
     */
    @Test
    void twoFitsOfOneEpochGiveTheBitsOfOneFitOfTwoEpochs() {
        JavaRDD<DataSet> train = rdd(data.train().slice(0, 1200), 100, 3); // 600 per worker: 18 steps per epoch
        for (String compressor : new String[] {"none", "topk:0.01"}) {
            LaminaTrainingMaster once = small(compressor, 2).build();
            Dl4jNet whole = new Dl4jNet(new SparkDl4jMultiLayer(sc, mlpConf(3), once).fit(train));
            assertEquals(36, once.lastRun().steps());

            LaminaTrainingMaster twice = small(compressor, 1).build();
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, mlpConf(3), twice);
            spark.fit(train);
            assertEquals(0, twice.lastRun().firstStep());
            MultiLayerNetwork fitted = spark.fit(train);
            assertEquals(18, twice.lastRun().firstStep(), twice.lastRun().start());
            assertEquals(18, twice.lastRun().steps(), "the last run's figures are the second fit's own");
            assertTrue(twice.lastRun().start().startsWith("continues at step 18 (epoch 1)"), twice.lastRun().start());
            assertArrayEquals(whole.params(), new Dl4jNet(fitted).params(), compressor + ": parameters");
            assertArrayEquals(whole.updaterState(), new Dl4jNet(fitted).updaterState(), compressor + ": updater state");
            assertEquals(36, fitted.getIterationCount());
            assertEquals(2, fitted.getEpochCount());

            // the old behaviour: each fit a run of its own, i.e. the second fit is what a new master would do
            LaminaTrainingMaster separate = small(compressor, 1).continueAcrossFits(false).build();
            SparkDl4jMultiLayer old = new SparkDl4jMultiLayer(sc, mlpConf(3), separate);
            old.fit(train);
            MultiLayerNetwork afterFirst = (MultiLayerNetwork) new Dl4jNet(old.getNetwork()).copy().model();
            float[] oldWay = new Dl4jNet(old.fit(train)).params();
            assertEquals(0, separate.lastRun().firstStep());
            assertTrue(separate.lastRun().start().startsWith("continueAcrossFits(false)"), separate.lastRun().start());
            float[] fresh = new Dl4jNet(new SparkDl4jMultiLayer(sc, afterFirst, small(compressor, 1).build())
                    .fit(train)).params();
            assertArrayEquals(fresh, oldWay, compressor + ": continueAcrossFits(false) starts each fit afresh");
            assertFalse(Arrays.equals(whole.params(), oldWay), compressor + ": and that is not one run of two epochs");
        }
    }

    @Test
    void sparkComputationGraphContinuesAcrossFitsToo() {
        JavaRDD<DataSet> train = rdd(data.train().slice(0, 1200), 100, 2);
        LaminaTrainingMaster once = small("topk:0.01", 2).build();
        float[] expected = new Dl4jNet(new SparkComputationGraph(sc, graphConf(false), once).fit(train)).params();
        LaminaTrainingMaster twice = small("topk:0.01", 1).build();
        SparkComputationGraph spark = new SparkComputationGraph(sc, graphConf(false), twice);
        spark.fit(train);
        JavaRDD<MultiDataSet> mds = train.map(DataSet::toMultiDataSet);
        assertArrayEquals(expected, new Dl4jNet(spark.fitMultiDataSet(mds)).params());
        assertEquals(18, twice.lastRun().firstStep());
    }

    /**
     * The workers' residuals and optimizer states belong to the parameters the last fit wrote back:
     * once the user replaces them, the next fit starts afresh, says why, and trains; the fit after
     * that continues again. Less data (other steps per epoch) continues at the next epoch's first step.
     */
    @Test
    void aFitAfterTheUserReplacedTheParametersStartsAfreshAndStillTrains() {
        JavaRDD<DataSet> train = rdd(data.train().slice(0, 1200), 100, 3);
        LaminaTrainingMaster tm = small("topk:0.01", 1).build();
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, mlpConf(3), tm);
        spark.fit(train);
        MultiLayerNetwork untrained = new MultiLayerNetwork(mlpConf(11));
        untrained.init();
        spark.getNetwork().setParams(untrained.params().dup());
        double before = accuracy(new Dl4jNet(spark.getNetwork()), data.test());

        spark.fit(train);
        assertEquals(0, tm.lastRun().firstStep());
        assertTrue(tm.lastRun().start().contains("start afresh at step 0 (epoch 0): the network's parameters differ "
                + "from what the last fit wrote back"), tm.lastRun().start());
        double after = accuracy(new Dl4jNet(spark.getNetwork()), data.test());
        assertTrue(after > before + 0.3 && after > 0.6, before + " -> " + after);

        spark.fit(train);
        assertEquals(18, tm.lastRun().firstStep(), "continues again: " + tm.lastRun().start());
        spark.fit(rdd(data.train().slice(0, 600), 100, 3)); // 9 steps per epoch: epoch 2 starts at step 18
        assertEquals(18, tm.lastRun().firstStep(), tm.lastRun().start());
        assertEquals(9, tm.lastRun().steps());
        assertTrue(tm.lastRun().start().contains("the data gives 9 steps per epoch, the last fit's 18"),
                tm.lastRun().start());
    }

    private static ComputationGraphConfiguration graphConf(boolean dropout) {
        return new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(2e-3)).graphBuilder()
                .addInputs("pixels")
                .addLayer("hidden", new DenseLayer.Builder().nIn(784).nOut(64).activation(Activation.RELU)
                        .dropOut(dropout ? 0.8 : 0).build(), "pixels")
                .addLayer("classes", new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nIn(64)
                        .nOut(10).activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("classes").build();
    }

    @Test
    void sparkComputationGraphTrainsFromDataSetsAndMultiDataSets() {
        LaminaTrainingMaster tm = new LaminaTrainingMaster.Builder().workers(2).batchSizePerWorker(32).steps(40)
                .granularity("model").build();
        SparkComputationGraph spark = new SparkComputationGraph(sc, graphConf(false), tm);
        double untrained = accuracy(new Dl4jNet(spark.getNetwork()), data.test());
        ComputationGraph g = spark.fit(rdd(data.train(), 100, 2));
        assertEquals(40, g.getIterationCount());
        double after = accuracy(new Dl4jNet(g), data.test());
        assertTrue(after > 0.6 && after > untrained + 0.3, untrained + " -> " + after);

        JavaRDD<MultiDataSet> mds = rdd(data.train(), 100, 2).map(DataSet::toMultiDataSet);
        g = spark.fitMultiDataSet(mds);
        assertEquals(80, g.getIterationCount(), "the second fit continues from the first");
    }

    @Test
    void dropoutMasksAreSeededSoARerunGivesTheSameBits() {
        float[][] runs = new float[2][];
        for (int i = 0; i < 2; i++) {
            LaminaTrainingMaster tm = new LaminaTrainingMaster.Builder().workers(2).batchSizePerWorker(16).steps(5)
                    .build();
            runs[i] = new Dl4jNet(new SparkComputationGraph(sc, graphConf(true), tm)
                    .fit(rdd(data.train().slice(0, 600), 50, 2))).params();
        }
        assertArrayEquals(runs[0], runs[1]);
    }

    @Test
    void aModelThatDoesNotFitTheDataAndWhatMakesNoSenseHereAreRefused() {
        MultiLayerConfiguration wrong = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(8).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build()).build();
        LaminaTrainingMaster tm = new LaminaTrainingMaster.Builder().steps(2).build();
        int before = sc.getPersistentRDDs().size();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkDl4jMultiLayer(sc, wrong, tm).fit(rdd(data.train().slice(0, 200), 50, 2)));
        assertTrue(e.getMessage().contains("3 outputs") && e.getMessage().contains("10 classes"), e.getMessage());
        assertEquals(before, sc.getPersistentRDDs().size(), "the blocks are freed");

        assertThrows(UnsupportedOperationException.class, () -> tm.setCollectTrainingStats(true));
        assertThrows(UnsupportedOperationException.class, () -> tm.executeTrainingPaths(null, null, null, null, null));
        assertThrows(UnsupportedOperationException.class,
                () -> tm.getWorkerInstance(new SparkDl4jMultiLayer(sc, mlpConf(1), tm)).getFinalResultNoData());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new LaminaTrainingMaster.Builder().compressor("zip"));
        assertTrue(bad.getMessage().startsWith("compressor(zip)"), bad.getMessage());
        assertTrue(tm.toJson().contains("\"steps\" : 2"), tm.toJson());
    }
}
