package io.lamina.app.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.app.engine.driver.StepRecord;
import io.lamina.app.engine.protocol.CompressionError;
import io.lamina.app.model.ModelKind;
import io.lamina.app.spark.SparkContexts;
import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.TrainTestData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The compression error and empirical Omega the workers measure on sampled steps ({@code --theory-every}). */
class CompressionTheoryTest {

    private static JavaSparkContext sc;
    private static TrainTestData data;

    @BeforeAll
    static void startSpark() {
        sc = SparkContexts.create("local[2]", "compression-theory-test");
        TrainTestData all = EmbeddedData.load();
        data = new TrainTestData(all.train().slice(0, 1000), all.test().slice(0, 100));
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static List<StepRecord> run(String compressor, String memory) {
        TrainConfig c = TrainConfig.defaults().with(Map.of(TrainSetting.MODEL, ModelKind.MLP.cliName(),
                TrainSetting.WORKERS, 2, TrainSetting.BATCH, 16, TrainSetting.STEPS, 5L, TrainSetting.THEORY_EVERY, 2,
                TrainSetting.COMPRESSOR, compressor, TrainSetting.MEMORY, memory, TrainSetting.OPTIMIZER_ON, "master"));
        DistributedTrainer t = new DistributedTrainer(sc, c, data);
        List<StepRecord> records = new ArrayList<>();
        t.addListener(records::add);
        try {
            t.fit();
        } finally {
            t.close();
        }
        for (StepRecord r : records) {
            if (r.step() % 2 == 0) {
                assertNotNull(r.error(), compressor + ": step " + r.step() + " is sampled");
                assertEquals(r.segments().size(), r.error().segments());
            } else {
                assertNull(r.error(), compressor + ": step " + r.step() + " is not sampled");
            }
        }
        return records;
    }

    @Test
    void sendingEverythingLosesNothing() {
        CompressionError e = run("none", "none").get(2).error();
        assertEquals(0.0, e.relativeError(-1));
        assertEquals(0.0, e.omega(-1));
        assertEquals(e.segments(), e.layerwiseSum(), 1e-12);
        assertEquals(e.segments(), e.entireModelBound(), 1e-12);
    }

    @Test
    void topKWithoutMemoryLosesTheSameAgainstTheGradientAndItsInput() {
        for (StepRecord r : run("topk:0.05", "none")) {
            CompressionError e = r.error();
            if (e == null) {
                continue;
            }
            double omega = e.omega(-1);
            assertTrue(omega > 0 && omega < 1, "Top-k keeps the largest 5%: 0 < Omega < 1, got " + omega);
            assertEquals(omega, e.relativeError(-1), 1e-12, "without memory the input is the gradient");
            assertTrue(e.layerwiseSum() <= e.entireModelBound() + 1e-12);
            Map<String, Object> json = r.toMap();
            assertEquals(omega, (Double) json.get("omega"), 0);
            assertTrue(((List<?>) json.get("segments")).stream().allMatch(s -> ((Map<?, ?>) s).containsKey("omega")));
        }
    }

    @Test
    void withErrorFeedbackTheInputIsTheCompensatedGradient() {
        CompressionError later = run("topk:0.05", "residual").get(4).error();
        assertNotEquals(later.omega(-1), later.relativeError(-1), "e = g + residual differs from g");
    }

    @Test
    void aProtocolThatFeedsBackTheAggregateMeasuresNothing() {
        for (StepRecord r : runUnsampled("powersgd:rank=2", "residual")) {
            assertNull(r.error());
        }
    }

    private static List<StepRecord> runUnsampled(String compressor, String memory) {
        TrainConfig c = TrainConfig.defaults().with(Map.of(TrainSetting.MODEL, ModelKind.MLP.cliName(),
                TrainSetting.WORKERS, 2, TrainSetting.BATCH, 16, TrainSetting.STEPS, 2L, TrainSetting.THEORY_EVERY, 1,
                TrainSetting.COMPRESSOR, compressor, TrainSetting.MEMORY, memory));
        DistributedTrainer t = new DistributedTrainer(sc, c, data);
        List<StepRecord> records = new ArrayList<>();
        t.addListener(records::add);
        try {
            t.fit();
        } finally {
            t.close();
        }
        assertEquals(2, records.size());
        return records;
    }
}
