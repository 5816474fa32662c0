package io.lamina.app.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The bench's printed Markdown tables: Spark's floor first, then Lamina against the DL4J
 * baselines, each run's step split into its parts (its overhead also as "floor + X ms"), and the
 * compressors side by side. What was not measured is left out: no row, or an empty cell.
 */
final class BenchReport {

    private final PrintStream out;
    private final BenchRunner.Settings s;

    BenchReport(PrintStream out, BenchRunner.Settings settings) {
        this.out = out;
        this.s = settings;
    }

    void print(Floors floors, Baselines baselines, List<LaminaRun> runs) {
        printFloors(floors);
        printEngine(baselines, runs.get(0));
        printStepSplit(floors, runs);
        printCompression(baselines.parameterAveraging(), runs);
    }

    private void printFloors(Floors f) {
        out.println();
        out.println("## Spark floor (same SparkContext, before the Lamina runs)");
        out.println();
        out.printf(Locale.ROOT, "Spark's own minimum for a job shaped like a Lamina step: one job per step over %d cached"
                + " blocks (a `byte[]` per partition, as Lamina's), results reduced in Lamina's merge tree (%d level(s)"
                + " on the executors, the rest on the driver), nothing computed in the tasks; the time from the job's"
                + " submission to the next step's broadcast. Medians over %d steps after %d warm-up, the three"
                + " interleaved step by step.%n%n",
                f.partitions(), f.treeLevels(), s.steps(), s.warmupSteps());
        out.println("| floor | each step | median ms |");
        out.println("|---|---|---|");
        out.printf(Locale.ROOT, "| `%s` | every task returns %d bytes | %.1f |%n", Floors.TINY,
                SparkFloor.TINY_RESULT_BYTES, f.tinyMs());
        out.printf(Locale.ROOT, "| `%s` | as `%s`, plus a %,d-byte broadcast made on the driver each step and read by"
                + " every task (Lamina broadcasts each step's downlink) | %.1f |%n", Floors.BROADCAST, Floors.TINY,
                f.broadcastBytes(), f.broadcastMs());
        out.printf(Locale.ROOT, "| `%s` | as `%s`, with the broadcast and every task's result the dense message's size"
                + " (%,d bytes: 4 per parameter) | %.1f |%n", Floors.DENSE_RESULT, Floors.BROADCAST, f.denseBytes(),
                f.denseResultMs());
    }

    private void printEngine(Baselines b, LaminaRun none) {
        Double single = b.fit1Thread();
        Double parallel = b.fitConcurrent();
        Double pa = b.parameterAveraging() == null ? null : b.parameterAveraging().samplesPerSecond();
        Double ideal = single == null ? null : single * s.workers();
        out.println();
        out.println("## Engine (compressor none) vs single-JVM DL4J and ParameterAveraging");
        out.println();
        out.println("| | samples/s | / ideal | / ParameterAveraging | / machine's parallel capacity |");
        out.println("|---|---|---|---|---|");
        if (single != null) {
            out.printf(Locale.ROOT, "| single-JVM DL4J fit, 1 thread | %.0f | %.2f (x%d = ideal %.0f) | | |%n", single,
                    1.0 / s.workers(), s.workers(), ideal);
        }
        if (parallel != null) {
            out.printf(Locale.ROOT, "| %d concurrent single-thread fits (what %d cores really give) | %.0f | %s | | 1.00 |%n",
                    s.workers(), s.workers(), parallel, ratio(parallel, ideal));
        }
        if (pa != null) {
            out.printf(Locale.ROOT, "| ParameterAveraging, freq 1 (test acc %.1f%%) | %.0f | %s | 1.00 | %s |%n",
                    100 * b.parameterAveraging().testAccuracy(), pa, ratio(pa, ideal), ratio(pa, parallel));
        }
        if (b.sharedTraining() != null) {
            double st = b.sharedTraining().samplesPerSecond();
            out.printf(Locale.ROOT, "| SharedTrainingMaster (threshold encoding; test acc %.1f%%) | %.0f | %s | %s | %s |%n",
                    100 * b.sharedTraining().testAccuracy(), st, ratio(st, ideal), ratio(st, pa), ratio(st, parallel));
        }
        double l = none.samplesPerSecond();
        out.printf(Locale.ROOT, "| Lamina | %.0f | %s | %s | %s |%n", l, ratio(l, ideal), ratio(l, pa), ratio(l, parallel));
    }

    private void printStepSplit(Floors f, List<LaminaRun> runs) {
        out.println();
        out.println("## Step time split (medians in ms; overhead = wall - slowest task compute)");
        out.println();
        out.printf("Each overhead is also given as the Spark floor of the same-shaped job + X: `%s` for `none` (dense"
                + " messages both ways), `%s` for every compressor (small messages, a small downlink broadcast; one"
                + " whose messages are a large part of dense lies between the two). \"Spark job, ...\" is the overhead"
                + " less the replica's update, the encoding and the driver's part; the floor is inside it.%n%n",
                Floors.DENSE_RESULT, Floors.BROADCAST);
        out.println("| compressor | granularity | wall | slowest compute | overhead | floor (same-shaped job) | overhead"
                + " as floor + X | replica update | encoding | driver part (decode, broadcast) | Spark job, result"
                + " serialization, scheduling |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (LaminaRun r : runs) {
            double x = r.medianOverheadMs() - f.matching(r.compressor());
            out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | `%s` %.1f | floor %s %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                    r.compressor(), r.granularity(), r.medianWallMs(), r.medianComputeMs(), r.medianOverheadMs(),
                    Floors.matchingKind(r.compressor()), f.matching(r.compressor()), x < 0 ? "-" : "+", Math.abs(x),
                    r.applyMs(), r.encodeMs(), r.driverMs(), r.sparkMs());
        }
    }

    private void printCompression(Baselines.ParameterAveraging pa, List<LaminaRun> runs) {
        LaminaRun none = runs.get(0);
        out.println();
        out.println("## Compression (same run; ratios to `none`)");
        out.println();
        if (pa != null) {
            out.printf(Locale.ROOT, "ParameterAveraging bytes per step: uplink %.0f (Spark task results), downlink %.0f "
                    + "(parameter + updater broadcast x workers).%n%n", pa.uplinkPerStep(), pa.downlinkPerStep());
        }
        out.println("| compressor | granularity | samples/s | vs none | uplink B/step | downlink B/step | uplink vs none"
                + " | total vs ParameterAveraging | median overhead ms |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (LaminaRun r : runs) {
            double total = r.uplinkPerStep() + r.downlinkPerStep();
            String vsPa = pa == null ? "" : String.format(Locale.ROOT, "%.1fx fewer",
                    (pa.uplinkPerStep() + pa.downlinkPerStep()) / total);
            out.printf(Locale.ROOT, "| %s | %s | %.0f | %.2fx | %.0f | %.0f | %.1fx fewer | %s | %.1f |%n",
                    r.compressor(), r.granularity(), r.samplesPerSecond(), r.samplesPerSecond() / none.samplesPerSecond(),
                    r.uplinkPerStep(), r.downlinkPerStep(), none.uplinkPerStep() / r.uplinkPerStep(), vsPa,
                    r.medianOverheadMs());
        }
    }

    /** {@code a / b} to two decimals, or an empty cell when {@code b} was not measured. */
    private static String ratio(double a, Double b) {
        return b == null ? "" : String.format(Locale.ROOT, "%.2f", a / b);
    }
}
