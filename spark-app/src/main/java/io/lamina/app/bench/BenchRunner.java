package io.lamina.app.bench;

import io.lamina.app.config.OptimizerOn;
import io.lamina.app.config.TrainConfig;
import io.lamina.app.model.ModelKind;
import io.lamina.app.model.Models;
import io.lamina.app.spark.SparkContexts;
import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.TrainTestData;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code lamina bench}: end-to-end throughput, measured side by side in one process on the same
 * model, data and per-worker batch: single-JVM DL4J {@code fit} on one thread (the per-core
 * rate; the N-worker ideal is N times it) and on N at once ({@link Dl4jBaselines}), Spark's own
 * floor for a job shaped like a Lamina step ({@link SparkFloor}, on the same SparkContext, before
 * the Lamina runs), Lamina with every requested compressor and granularity ({@link LaminaRuns}),
 * DL4J's {@code ParameterAveragingTrainingMaster} with averaging frequency 1, and DL4J's
 * {@code SharedTrainingMaster} if asked for and the bench jar provides it
 * ({@link ParameterServerBaseline}). Prints Markdown tables ({@link BenchReport}) and, with an
 * output folder, writes them as {@code bench.json} ({@link BenchJson}). A benchmark, not a test:
 * absolute numbers drift on shared machines; the ratios, measured in one run, are the result.
 */
public final class BenchRunner {

    private final Settings s;
    private final PrintStream out;
    private final TrainTestData data = EmbeddedData.load();

    /**
     * What to run.
     *
     * @param train  the training settings every Lamina run starts from (model, workers, batch, optimizer placement)
     * @param steps  measured steps per run, after {@code warmupSteps}
     * @param output the folder for bench.json ({@link BenchJson#prepare} checked it), or null for none
     */
    public record Settings(TrainConfig train, int warmupSteps, int steps, List<String> compressors,
            List<String> granularities, boolean baselines, boolean sharedTraining, Path output) {

        ModelKind model() {
            return train.model();
        }

        int workers() {
            return train.workers();
        }

        int batch() {
            return train.batchPerWorker();
        }

        OptimizerOn optimizerOn() {
            return train.optimizerOn();
        }
    }

    public BenchRunner(Settings settings, PrintStream out) {
        this.s = settings;
        this.out = out;
    }

    /**
     * Creates the output folder, or says in the exception's message why it cannot be used
     * ({@code --output}), so that a bad one fails before the long runs.
     *
     * @throws IllegalArgumentException if it is a file or cannot be created or written
     */
    public static void prepareOutput(Path dir) {
        BenchJson.prepare(dir);
    }

    public int run() {
        out.printf("# lamina bench: %s, %d workers x %d examples per step, %d measured steps after %d warm-up,"
                + " --optimizer-on %s; compression kernels: %s%n%n", s.model().cliName(), s.workers(), s.batch(),
                s.steps(), s.warmupSteps(), s.optimizerOn().cliName(), io.lamina.compression.simd.Simd.describe());
        Instant started = Instant.now();
        Dl4jBaselines dl4j = new Dl4jBaselines(s, data, out);
        // Looked up first, so that a missing one is said before the long runs.
        ParameterServerBaseline sharedTraining = s.baselines() && s.sharedTraining() ? parameterServerBaseline(out) : null;
        Double single = s.baselines() ? dl4j.fits(1) : null;
        Double parallel = s.baselines() ? dl4j.fits(s.workers()) : null;
        Floors floors;
        List<LaminaRun> runs;
        JavaSparkContext sc = SparkContexts.create("local[" + s.workers() + "]", "lamina-bench");
        try {
            floors = new SparkFloor(sc, s.workers(), s.train().treeDepth(), s.warmupSteps(), s.steps())
                    .measure(4 * numParams());
            out.printf(Locale.ROOT, "Spark floor: %s %.1f ms, %s %.1f ms, %s %.1f ms per step%n", Floors.TINY,
                    floors.tinyMs(), Floors.BROADCAST, floors.broadcastMs(), Floors.DENSE_RESULT, floors.denseResultMs());
            runs = new LaminaRuns(sc, s, data, out).all();
        } finally {
            sc.stop();
        }
        Baselines baselines = new Baselines(single, parallel, s.baselines() ? dl4j.parameterAveraging() : null,
                sharedTraining == null ? null : dl4j.sharedTraining(sharedTraining));
        new BenchReport(out, s).print(floors, baselines, runs);
        if (s.output() != null) {
            Path file = BenchJson.write(s.output(), BenchJson.content(s, floors, baselines, runs, BenchJson.gitCommit(),
                    started));
            out.println();
            out.println("Written: " + file);
        }
        return 0;
    }

    /** The bench jar's parameter-server baseline; without it, says in one line what to use instead, and null. */
    static ParameterServerBaseline parameterServerBaseline(PrintStream out) {
        Optional<ParameterServerBaseline> found = ParameterServerBaseline.find();
        if (found.isEmpty()) {
            out.println(ParameterServerBaseline.MISSING);
        }
        return found.orElse(null);
    }

    /** The model's parameter count, from a network built as the baselines build it. */
    private int numParams() {
        return Models.create(s.model(), Dl4jBaselines.shape(data.train()), Dl4jBaselines.adam(), 1).numParams();
    }
}
