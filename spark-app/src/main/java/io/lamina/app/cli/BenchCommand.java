package io.lamina.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code lamina bench}: placeholder replaced below. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (see BenchRunner).")
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return io.lamina.app.bench.BenchRunner.runDefault();
    }
}
