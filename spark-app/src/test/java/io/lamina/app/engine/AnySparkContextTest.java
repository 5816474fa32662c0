package io.lamina.app.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.esotericsoftware.kryo.Kryo;
import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.model.ModelKind;
import io.lamina.app.spark.SparkContexts;
import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.TrainTestData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.KryoRegistrator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lamina trains on any SparkContext, not only one made by {@link SparkContexts}: on Spark's
 * defaults (the Java serializer), on Kryo without a registrator, and on Kryo with someone else's
 * registrator and registration required. Each run gives the same bits as on Lamina's own context.
 * The contexts are made and stopped one after another (one per JVM at a time).
 */
public class AnySparkContextTest {

    private static TrainTestData data;

    /** A user's registrator that knows nothing of Lamina. */
    public static final class OtherRegistrator implements KryoRegistrator {
        @Override
        public void registerClasses(Kryo kryo) {
            kryo.register(Unrelated.class);
        }
    }

    static final class Unrelated {
        int x;
    }

    @BeforeAll
    static void loadData() {
        TrainTestData all = EmbeddedData.load();
        data = new TrainTestData(all.train().slice(0, 1200), all.test().slice(0, 200));
    }

    /** A one-round method, one with a residual, a two-round one, and a tree with an intermediate level (shuffle). */
    private static Map<String, TrainConfig> runs() {
        Map<String, TrainConfig> runs = new LinkedHashMap<>();
        runs.put("none", config("none", "none", 2));
        runs.put("topk", config("topk:0.01", "residual", 2));
        runs.put("powersgd", config("powersgd:rank=2", "residual", 2));
        // treeReduce(depth 2) over 8 partitions has an intermediate level: Tuple2<Integer, byte[]> shuffle records.
        runs.put("topk, 8 workers", config("topk:0.01", "residual", 8));
        return runs;
    }

    private static TrainConfig config(String compressor, String memory, int workers) {
        TrainConfig c = TrainConfig.defaults();
        c = c.with(TrainSetting.MODEL, ModelKind.MLP.cliName());
        c = c.with(TrainSetting.WORKERS, workers);
        c = c.with(TrainSetting.BATCH, 16);
        c = c.with(TrainSetting.STEPS, 3L);
        c = c.with(TrainSetting.COMPRESSOR, compressor);
        c = c.with(TrainSetting.MEMORY, memory);
        c = c.with(TrainSetting.CHECKSUM_EVERY, 1);
        c = c.with(TrainSetting.EVAL_EVERY, 3); // the evaluation's results travel too
        return c;
    }

    /** A context as a notebook has it: nothing of Lamina's configuration. */
    private static SparkConf plain(String name) {
        return new SparkConf().setMaster("local[2]").setAppName(name).set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
    }

    @Test
    void trainsBitIdenticallyOnContextsLaminaDidNotConfigure() {
        Map<String, Supplier<JavaSparkContext>> contexts = new LinkedHashMap<>();
        contexts.put("Spark's defaults (Java serializer)", () -> new JavaSparkContext(plain("java-serializer")));
        contexts.put("Kryo, no registrator", () -> new JavaSparkContext(plain("kryo-plain")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")));
        contexts.put("Kryo, another registrator, registration required", () -> new JavaSparkContext(
                plain("kryo-other").set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                        .set("spark.kryo.registrator", OtherRegistrator.class.getName())
                        .set("spark.kryo.registrationRequired", "true")));

        Map<String, float[]> reference = train(SparkContexts.create("local[2]", "any-context-reference"));
        for (Map.Entry<String, Supplier<JavaSparkContext>> ctx : contexts.entrySet()) {
            Map<String, float[]> got = train(ctx.getValue().get());
            assertEquals(reference.keySet(), got.keySet());
            for (String run : reference.keySet()) {
                assertArrayEquals(reference.get(run), got.get(run), run + " on " + ctx.getKey());
            }
        }
    }

    /** Final parameters of every run on {@code sc}, which is stopped afterwards. */
    private static Map<String, float[]> train(JavaSparkContext sc) {
        try {
            Map<String, float[]> params = new LinkedHashMap<>();
            for (Map.Entry<String, TrainConfig> run : runs().entrySet()) {
                params.put(run.getKey(), EngineRuns.finalParams(sc, run.getValue(), data));
            }
            return params;
        } finally {
            sc.stop();
        }
    }
}
