package io.lamina.app.cli;

import io.lamina.app.bench.BenchRunner;
import io.lamina.app.engine.OptimizerPlacement;
import io.lamina.app.model.ModelKind;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.granularity.Granularity;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lamina bench}: Lamina vs single-JVM DL4J vs ParameterAveraging, and every compressor, in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "End-to-end benchmark: samples/s, step time split, bytes per step and ratios, measured side by"
                + " side in one process (a benchmark, not a test).")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "lenet", description = "mlp, lenet, resnet (default: ${DEFAULT-VALUE})")
    String model;
    @Option(names = "--workers", defaultValue = "2", description = "Workers (default: ${DEFAULT-VALUE})")
    int workers;
    @Option(names = "--batch", defaultValue = "64", description = "Examples per worker per step (default: ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--warmup", defaultValue = "10", description = "Warm-up steps per run (default: ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--steps", defaultValue = "60", description = "Measured steps per run (default: ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--compressors", defaultValue = "none",
            description = "Compressors to compare with none, e.g. topk:0.01;qsgd:s=256 (separated by ';'), or 'all'")
    String compressors;
    @Option(names = "--granularities", split = ",", defaultValue = "layer",
            description = "Granularities, comma-separated (default: ${DEFAULT-VALUE})")
    List<String> granularities;
    @Option(names = "--optimizer-on", defaultValue = "master",
            description = "Where the optimizer runs in every Lamina run: master or workers (default: ${DEFAULT-VALUE})")
    String optimizerOn;
    @Option(names = "--no-baselines", description = "Skip single-JVM DL4J and ParameterAveraging")
    boolean noBaselines;
    @Option(names = "--shared-training-master",
            description = "Also run DL4J's SharedTrainingMaster (threshold encoding over Aeron; slow here)")
    boolean sharedTraining;

    @Override
    public Integer call() {
        List<String> specs;
        try {
            ModelKind kind = ModelKind.parse(model);
            specs = expand(compressors);
            specs.forEach(Compressors::parse);
            granularities.forEach(Granularity::parse);
            if (workers < 1 || batch < 1 || steps < 1 || warmup < 0) {
                throw new IllegalArgumentException("--workers, --batch and --steps must be >= 1, --warmup >= 0");
            }
            return new BenchRunner(new BenchRunner.Settings(kind, workers, batch, warmup, steps, specs, granularities,
                    !noBaselines, sharedTraining, OptimizerPlacement.parse(optimizerOn)), System.out).run();
        } catch (IllegalArgumentException e) {
            System.err.println("lamina bench: " + e.getMessage());
            return LaminaCli.EXIT_BAD_INPUT;
        }
    }

    /** Compressor specs contain commas, so the list is split on ';' too; 'all' = one setting per compressor. */
    static List<String> expand(String joined) {
        if (joined.equals("all")) {
            return io.lamina.compression.method.Methods.examples();
        }
        return List.of(joined.split(";"));
    }
}
