package io.lamina.app.cli;

import io.lamina.app.report.Projections;
import io.lamina.app.report.Report;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lamina report FOLDER...}: tables, plots and one HTML page comparing finished runs and
 * experiments (see {@link Report}); no Spark.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare finished runs: report.md and report.csv (a table per run), PNG plots (accuracy and "
                + "loss against steps, time and bytes; bytes, error and Omega per segment) and one self-contained "
                + "report.html, with an optional projection of the step time for other worker counts and links."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:report written (unreadable runs are skipped with a message)",
                "2:bad option, or no readable run"})
public final class ReportCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FOLDER", description = "Run folders (summary.json, metrics.jsonl) or "
            + "experiment folders (one run per sub-folder)")
    List<Path> folders;
    @Option(names = "--output", paramLabel = "DIR", description = "Output folder (default: FOLDER/report for one "
            + "folder, else runs/report)")
    Path output;
    @Option(names = "--target-accuracy", paramLabel = "A", description = "Target test accuracy, a fraction "
            + "(default: 95%% of the best `none` run's best)")
    Double targetAccuracy;
    @Option(names = "--project", arity = "1..*", paramLabel = "KEY=VALUES", parameterConsumer = ProjectConsumer.class,
            description = "Project the step time with the cost model: workers=<n,...> bandwidth=<Gbit/s,...> "
                    + "[latency_ms=<ms>, default " + Projections.DEFAULT_LATENCY_MS + "], e.g. --project "
                    + "workers=8,32,128 bandwidth=1,10,25")
    List<String> project = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path out = output != null ? output : folders.size() == 1 ? folders.get(0).resolve("report") : Path.of("runs", "report");
        Report.Written w;
        try {
            Projections.Grid grid = project.isEmpty() ? null : Projections.Grid.parse(project);
            w = Report.write(folders, out, targetAccuracy, grid);
        } catch (IllegalArgumentException e) {
            System.err.println("lamina report: " + e.getMessage());
            return LaminaCli.EXIT_BAD_INPUT;
        }
        w.skipped().forEach(s -> System.err.println("lamina report: skipped " + s));
        System.out.printf("lamina report: %d runs; wrote %s (%d files)%n", w.runs(), out.resolve("report.html"),
                w.files().size());
        return 0;
    }

    /**
     * Takes the {@code key=values} words after {@code --project} while their key is one the
     * projection knows, so that a run folder named like {@code compressor=none} after the option is
     * still a folder.
     */
    static final class ProjectConsumer implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            List<String> taken = new ArrayList<>();
            while (!args.isEmpty() && args.peek().matches("(workers|bandwidth|latency_ms)=.*")) {
                taken.add(args.pop());
            }
            if (taken.isEmpty()) {
                taken.add(args.isEmpty() ? "" : args.pop()); // Grid.parse says what is allowed
            }
            List<String> all = argSpec.getValue();
            all.addAll(taken);
        }
    }
}
