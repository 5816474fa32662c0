package io.lamina.app.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.app.engine.worker.ReplicaRegistry;
import io.lamina.app.model.ModelKind;
import io.lamina.app.spark.SparkContexts;
import io.lamina.compression.message.DenseMessage;
import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.TrainTestData;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unit of what travels: the mean gradient over a worker's batch (not DL4J's sum), so that
 * thresholds, fp16's range and the majority vote's step mean what the papers mean.
 */
class WireUnitsTest {

    private static final double LR = 0.01;
    private static JavaSparkContext sc;
    private static TrainTestData data;

    @BeforeAll
    static void startSpark() {
        sc = SparkContexts.create("local[2]", "wire-units-test");
        TrainTestData all = EmbeddedData.load();
        data = new TrainTestData(all.train().slice(0, 1000), all.test().slice(0, 100));
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static TrainConfig sgdStep(String compressor) {
        return TrainConfig.defaults().with(Map.of(TrainSetting.MODEL, ModelKind.MLP.cliName(), TrainSetting.WORKERS, 2,
                TrainSetting.BATCH, 32, TrainSetting.STEPS, 1L, TrainSetting.OPTIMIZER, "sgd", TrainSetting.LR, LR,
                TrainSetting.COMPRESSOR, compressor, TrainSetting.OPTIMIZER_ON, "master"));
    }

    @Test
    void workersSendTheMeanGradientOfTheirBatch() {
        DistributedTrainer t = new DistributedTrainer(sc, sgdStep("none"), data);
        try {
            float[] before = t.master().params();
            t.fit();
            float[] after = t.master().params();
            float[] g0 = ((DenseMessage) ReplicaRegistry.lastShipped(t.runId(), 0, 0).parts().get(0).segments()[0]).values();
            float[] g1 = ((DenseMessage) ReplicaRegistry.lastShipped(t.runId(), 1, 0).parts().get(0).segments()[0]).values();
            // Plain SGD on the average of the two messages: theta -= lr * (g0 + g1) / 2 (first segment).
            double worst = 0;
            for (int i = 0; i < g0.length; i++) {
                double expected = before[i] - LR * (g0[i] + g1[i]) / 2;
                worst = Math.max(worst, Math.abs(after[i] - expected));
            }
            assertTrue(worst < 1e-6, "the step is lr times the mean of what was sent; worst difference " + worst);
        } finally {
            t.close();
        }
    }

    @Test
    void theMajorityVoteMovesEveryParameterByTheLearningRate() {
        DistributedTrainer t = new DistributedTrainer(sc, sgdStep("signsgd"), data);
        try {
            float[] before = t.master().params();
            t.fit();
            float[] after = t.master().params();
            int moved = 0;
            for (int i = 0; i < before.length; i++) {
                double step = Math.abs(after[i] - before[i]);
                if (step > 0) {
                    assertEquals(LR, step, 1e-6 + 1e-6 * Math.abs(before[i]), "parameter " + i + " moved by " + step);
                    moved++;
                }
            }
            assertTrue(moved > before.length / 2, "most parameters move: " + moved + " of " + before.length);
        } finally {
            t.close();
        }
    }
}
