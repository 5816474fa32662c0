package io.lamina.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code lamina}: the command-line entry point (also the shaded jar's main class). */
@Command(name = "lamina", mixinStandardHelpOptions = true, version = "lamina 0.1.0",
        description = "Data-parallel DL4J training on Apache Spark with compressed gradients.",
        subcommands = {TrainCommand.class, BenchCommand.class, ExperimentCommand.class, ReportCommand.class})
public final class LaminaCli implements Runnable {

    /** Exit code for bad input: wrong options, missing or corrupt data. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a run stopped by a NaN or infinite loss. */
    public static final int EXIT_DIVERGED = 3;
    /** Exit code when the Spark cluster did not accept the application (refused it, or did not answer). */
    public static final int EXIT_SPARK_REFUSED = 4;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        return new CommandLine(new LaminaCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }
}
