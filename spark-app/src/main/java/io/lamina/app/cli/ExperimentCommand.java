package io.lamina.app.cli;

import io.lamina.app.experiment.Experiment;
import io.lamina.app.experiment.ExperimentLoader;
import io.lamina.app.experiment.ExperimentRunner.RunOutcome;
import io.lamina.app.experiment.ExperimentRunner;
import io.lamina.app.spark.SparkContexts;
import io.lamina.app.spark.SparkStartException;
import io.lamina.app.data.DataSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lamina experiment FILE.yaml}: a grid of training runs from an experiment file
 * (see {@link ExperimentLoader} for the format), validated before Spark starts and run one after
 * another in one Spark context.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a grid of training runs described by a YAML file (conf/experiments/*.yaml), one after "
                + "another in one Spark context; write one folder per run, experiment.jsonl and results.md in the "
                + "experiment's output folder.",
                "File keys: name, description, output, base (settings: lamina train's options without dashes), "
                + "grid (setting -> list of values; runs = cartesian product), include (extra runs)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every run completed", "1:a run failed", "2:invalid file (nothing ran)",
                "3:a run diverged (NaN/infinite loss)", "4:the Spark cluster did not accept the application"})
public final class ExperimentCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "Experiment file, e.g. conf/experiments/granularity.yaml")
    Path file;
    @Option(names = "--dry-run", description = "Validate the file and print the runs, without running them")
    boolean dryRun;
    @Option(names = "--master", description = "Spark master when not launched by spark-submit "
            + "(default: local[<largest workers of the runs>])")
    String master;
    @Option(names = "--resume", description = "Skip runs whose folder already holds a completed run with the same "
            + "settings (their summary is reused)")
    boolean resume;
    @Option(names = "--warmup-steps", defaultValue = "20", description = "Steps of the first run to train, run once "
            + "before it and discarded, so that it does not pay the JVM's and Spark's warm-up alone (0: none; "
            + "default: ${DEFAULT-VALUE})")
    int warmupSteps;
    @Option(names = "--output", description = "Output root, instead of the file's output: (default: the file's, "
            + "else runs/experiments/<name>)")
    String output;

    @Override
    public Integer call() throws Exception {
        Experiment experiment;
        Map<String, DataSource> data;
        try {
            experiment = ExperimentLoader.load(file, output);
            data = ExperimentRunner.loadData(experiment);
        } catch (IllegalArgumentException e) {
            System.err.println("lamina experiment: " + e.getMessage());
            return LaminaCli.EXIT_BAD_INPUT;
        }
        if (warmupSteps < 0) {
            System.err.println("lamina experiment: --warmup-steps must be >= 0, got " + warmupSteps);
            return LaminaCli.EXIT_BAD_INPUT;
        }
        System.out.print(ExperimentRunner.describe(experiment));
        if (dryRun) {
            System.out.println("lamina experiment: " + file + " is valid (dry run: nothing ran)");
            return 0;
        }
        experiment = experiment.withMaster(master);
        String m = master != null ? master : "local[" + experiment.maxWorkers() + "]";
        JavaSparkContext sc;
        try {
            sc = SparkContexts.create(m, "lamina-experiment");
        } catch (SparkStartException e) {
            System.err.println("lamina experiment: " + e.getMessage());
            return LaminaCli.EXIT_SPARK_REFUSED;
        }
        List<RunOutcome> outcomes;
        try {
            outcomes = ExperimentRunner.run(experiment, data, sc, System.out, resume, warmupSteps);
        } finally {
            sc.stop();
        }
        long completed = outcomes.stream().filter(o -> o.status().equals("completed")).count();
        long diverged = outcomes.stream().filter(o -> o.status().equals("diverged")).count();
        System.out.printf("lamina experiment: %d of %d runs completed%s; wrote %s and %s%n", completed,
                outcomes.size(), diverged > 0 ? ", " + diverged + " diverged" : "",
                experiment.output().resolve("experiment.jsonl"), experiment.output().resolve("results.md"));
        if (completed == outcomes.size()) {
            return 0;
        }
        return completed + diverged == outcomes.size() ? LaminaCli.EXIT_DIVERGED : 1;
    }
}
