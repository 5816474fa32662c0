package io.lamina.app.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.app.model.Dl4jNet;
import io.lamina.app.model.ModelKind;
import io.lamina.app.model.ModelShape;
import io.lamina.app.model.Models;
import io.lamina.app.spark.SparkContexts;
import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.LabeledData;
import io.lamina.datasets.PartitionedData;
import io.lamina.datasets.Partitioner;
import io.lamina.datasets.TrainTestData;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The engine with the {@code none} compressor against single-JVM DL4J training on the same global batches. */
class EngineEquivalenceTest {

    private static JavaSparkContext sc;
    private static TrainTestData data;

    @BeforeAll
    static void startSpark() {
        sc = SparkContexts.create("local[2]", "engine-equivalence-test");
        TrainTestData all = EmbeddedData.load();
        data = new TrainTestData(all.train().slice(0, 1200), all.test().slice(0, 200));
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static TrainConfig config(ModelKind model, String optimizer, int batch, long steps) {
        TrainConfig c = TrainConfig.defaults();
        c = c.with(TrainSetting.MODEL, model.cliName());
        c = c.with(TrainSetting.WORKERS, 2);
        c = c.with(TrainSetting.BATCH, batch);
        c = c.with(TrainSetting.STEPS, steps);
        c = c.with(TrainSetting.OPTIMIZER, optimizer).with(TrainSetting.LR, optimizer.equals("adam") ? 1e-3 : 0.05);
        c = c.with(TrainSetting.SEED, 7);
        c = c.with(TrainSetting.CHECKSUM_EVERY, 1);
        return c;
    }

    @Test
    void twoWorkersMatchSingleJvmLenetWithAdam() {
        assertEquivalent(config(ModelKind.LENET, "adam", 16, 5));
    }

    @Test
    void twoWorkersMatchSingleJvmResnetGraphWithNesterov() {
        assertEquivalent(config(ModelKind.RESNET, "nesterov", 8, 5));
    }

    private void assertEquivalent(TrainConfig c) {
        DistributedTrainer trainer = new DistributedTrainer(sc, c, data);
        try {
            for (int s = 0; s < c.steps(); s++) {
                trainer.runStep(false);
            }
            float[] distributed = trainer.master().params();

            LabeledData train = data.train();
            ModelShape shape = new ModelShape(1, 28, 28, 10);
            Dl4jNet reference = Models.create(c.model(), shape, c.optimizer().toUpdater(c.steps()), c.seed());
            PartitionedData parts = Partitioner.partition(train, c.workers(), c.seed());
            int global = c.workers() * c.batchPerWorker();
            float[] f = new float[global * train.featureSize()];
            float[] l = new float[global * train.numClasses()];
            for (int s = 0; s < c.steps(); s++) {
                parts.fillGlobalBatch(s, c.batchPerWorker(), f, l);
                DataSet ds = new DataSet(Nd4j.createFromArray(f).reshape(global, train.featureSize()),
                        Nd4j.createFromArray(l).reshape(global, train.numClasses()));
                if (reference.isGraph()) {
                    ((org.deeplearning4j.nn.graph.ComputationGraph) reference.model()).fit(ds);
                } else {
                    ((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) reference.model()).fit(ds);
                }
            }
            float[] single = reference.params();
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < single.length; i++) {
                diff += (distributed[i] - single[i]) * (double) (distributed[i] - single[i]);
                norm += single[i] * (double) single[i];
            }
            double rel = Math.sqrt(diff / norm);
            assertTrue(rel < 1e-4, "relative difference " + rel + " between distributed and single-JVM training");
            // ...and the parameters really moved, so the comparison means something.
            float[] init = Models.create(c.model(), shape, c.optimizer().toUpdater(c.steps()), c.seed()).params();
            double moved = 0;
            for (int i = 0; i < init.length; i++) {
                moved += Math.abs(init[i] - single[i]);
            }
            assertTrue(moved > 1e-3, "training did not change the parameters");
            assertEquals(0, trainer.checksumMismatches());
            for (int p = 0; p < c.workers(); p++) {
                float[] replica = trainer.replicaParamsAtMasterVersion(p);
                assertNotNull(replica);
                assertArrayEquals(distributed, replica, "replica " + p + " differs from the master");
            }
        } finally {
            trainer.close();
        }
    }
}
