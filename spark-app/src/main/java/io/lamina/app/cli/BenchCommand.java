package io.lamina.app.cli;

import io.lamina.app.bench.BenchRunner;
import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.compression.granularity.Granularity;
import io.lamina.compression.method.Compressors;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lamina bench}: Spark's floor, Lamina vs single-JVM DL4J vs ParameterAveraging, and every compressor, in
 * one run; {@code --output DIR} also writes {@code DIR/bench.json}.
 * The training settings it takes ({@code --model}, {@code --workers}, {@code --batch}, {@code --optimizer-on})
 * come from the {@link TrainSetting} table; the options declared here are the benchmark's own.
 * {@code --steps} is one of them: it counts measured steps after the warm-up, not a run's total.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "End-to-end benchmark: Spark's floor for a step-shaped job, samples/s, step time split (each"
                + " overhead as floor + X), bytes per step and ratios, measured side by side in one process (a"
                + " benchmark, not a test).",
        modelTransformer = SettingOptions.class)
public final class BenchCommand implements Callable<Integer>, SettingOptions.Target {

    private final Map<TrainSetting, Object> settings = new EnumMap<>(TrainSetting.class);

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
    @Option(names = "--no-baselines", description = "Skip single-JVM DL4J and ParameterAveraging")
    boolean noBaselines;
    @Option(names = "--shared-training-master",
            description = "Also run DL4J's SharedTrainingMaster (threshold encoding over Aeron; slow here). Needs the"
                    + " bench jar (spark-bench), which submit-scripts/lamina.sh bench uses when it is built")
    boolean sharedTraining;
    @Option(names = "--output", paramLabel = "DIR",
            description = "Also write every figure of the tables to DIR/bench.json (a local folder, created if needed)")
    Path output;

    @Override
    public TrainSetting.Use use() {
        return TrainSetting.Use.BENCH_CLI;
    }

    @Override
    public Map<TrainSetting, Object> settings() {
        return settings;
    }

    @Override
    public Integer call() {
        List<String> specs;
        try {
            TrainConfig train = TrainConfig.defaults().with(settings);
            specs = expand(compressors);
            specs.forEach(Compressors::parse);
            granularities.forEach(Granularity::parse);
            if (train.workers() < 1 || train.batchPerWorker() < 1 || steps < 1 || warmup < 0) {
                throw new IllegalArgumentException("--workers, --batch and --steps must be >= 1, --warmup >= 0");
            }
            if (output != null) {
                BenchRunner.prepareOutput(output); // a bad folder fails now, not after the runs
            }
            return new BenchRunner(new BenchRunner.Settings(train, warmup, steps, specs, granularities, !noBaselines,
                    sharedTraining, output), System.out).run();
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
