package io.lamina.app.api;

import io.lamina.compression.granularity.Granularity;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Java API: data-parallel DL4J training on Spark with compressed gradients, for notebooks
 * (Zeppelin {@code %spark}, spark-shell) and DL4J users. A thin layer over the engine that
 * {@code lamina train} runs: same settings, same defaults, same output folder.
 *
 * <pre>{@code
 * import static io.lamina.app.api.Lamina.*;
 *
 * JavaSparkContext sc = ...;                       // or a Scala SparkContext (Zeppelin's / spark-shell's sc)
 * TrainingResult r = Lamina.trainer(sc)
 *         .model("lenet")                          // or ModelKind.LENET; mlp, lenet, resnet
 *         .workers(2).batchPerWorker(64)
 *         .epochs(3)                               // or .steps(500)
 *         .optimizer("adam", 1e-3).warmup(100).schedule("linear")
 *         .compressor("topk", 0.01)                // or .compressor("qsgd:s=256")
 *         .memory("residual")
 *         .granularity(LAYER_WISE)                 // ENTIRE_MODEL, bucketed(65536), or "layer" / "model" / "bucket:65536"
 *         .seed(42).evalEvery(100)
 *         .output("runs/topk-layer")
 *         .fit();                                  // embedded Fashion-MNIST; or fit("hdfs://.../fashion"), fit(trainTestData)
 *
 * System.out.printf("accuracy %.3f, %.0f samples/s, %,d bytes up%n",
 *         r.testAccuracy(), r.samplesPerSecond(), r.uplinkBytes());
 * MultiLayerNetwork net = r.multiLayerNetwork();   // the trained DL4J model (from model.zip)
 * }</pre>
 *
 * <p>Wrong values throw {@link IllegalArgumentException} from the setter (or from {@code fit},
 * for combinations), naming the setter, the value and what is allowed, before any Spark job runs.
 * The context is the caller's: the trainer never stops it. {@link #trainer()} creates (and stops)
 * a context of its own, {@code local[<workers>]} unless {@link Trainer#master(String)} says otherwise.
 */
public final class Lamina {

    /** One compression segment per parameter tensor (what GRACE and Horovod do). */
    public static final Granularity LAYER_WISE = Granularity.layerWise();
    /** One compression segment over the whole flat gradient (what the theory assumes). */
    public static final Granularity ENTIRE_MODEL = Granularity.entireModel();

    private Lamina() {
    }

    /** A trainer that runs its Spark jobs on {@code sc} (which stays open afterwards). */
    public static Trainer trainer(JavaSparkContext sc) {
        if (sc == null) {
            throw new IllegalArgumentException("trainer(null): give a JavaSparkContext, or call Lamina.trainer() "
                    + "to let the trainer create one");
        }
        return new Trainer(sc);
    }

    /** A trainer on a Scala {@code SparkContext} (Zeppelin's and spark-shell's {@code sc}), which stays open. */
    public static Trainer trainer(SparkContext sc) {
        if (sc == null) {
            throw new IllegalArgumentException("trainer(null): give a SparkContext, or call Lamina.trainer() "
                    + "to let the trainer create one");
        }
        return new Trainer(JavaSparkContext.fromSparkContext(sc));
    }

    /** A trainer that creates a Spark context for each {@code fit} and stops it afterwards. */
    public static Trainer trainer() {
        return new Trainer(null);
    }

    /** Consecutive parameter tensors fused into buckets of about {@code elements} elements. */
    public static Granularity bucketed(int elements) {
        if (elements < 1) {
            throw new IllegalArgumentException("bucketed(" + elements + "): bucket size must be >= 1 elements");
        }
        return Granularity.bucketed(elements);
    }
}
