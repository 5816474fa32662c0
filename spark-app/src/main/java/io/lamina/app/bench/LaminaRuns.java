package io.lamina.app.bench;

import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.app.engine.driver.StepRecord;
import io.lamina.compression.method.Compatibility;
import io.lamina.compression.method.Compressors;
import io.lamina.datasets.TrainTestData;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.apache.spark.api.java.JavaSparkContext;

/** Runs Lamina on the bench's SparkContext, once per compressor and granularity, and takes each run's figures. */
final class LaminaRuns {

    private final JavaSparkContext sc;
    private final BenchRunner.Settings s;
    private final TrainTestData data;
    private final PrintStream out;
    private final AtomicLong resultBytes = new AtomicLong();

    LaminaRuns(JavaSparkContext sc, BenchRunner.Settings settings, TrainTestData data, PrintStream out) {
        this.sc = sc;
        this.s = settings;
        this.data = data;
        this.out = out;
        sc.sc().addSparkListener(new ResultSizeListener(resultBytes));
    }

    /** {@code none} at layer granularity first (the baseline), then every accepted compressor and granularity. */
    List<LaminaRun> all() {
        List<LaminaRun> runs = new ArrayList<>();
        runs.add(run("none", "layer"));
        for (String c : s.compressors()) {
            for (String g : s.granularities()) {
                if (!(c.equals("none") && g.equals("layer")) && accepted(c)) {
                    runs.add(run(c, g));
                }
            }
        }
        return runs;
    }

    /** Whether the compressor goes with the bench's settings (signsgd not with --optimizer-on workers); says why not. */
    private boolean accepted(String compressor) {
        try {
            config(compressor, "layer").validate();
            return true;
        } catch (IllegalArgumentException e) {
            out.printf("Lamina %s: skipped: %s%n", compressor, e.getMessage());
            return false;
        }
    }

    private TrainConfig config(String compressor, String granularity) {
        return s.train().with(Map.of(TrainSetting.STEPS, s.warmupSteps() + s.steps(),
                TrainSetting.CHECKSUM_EVERY, 0, TrainSetting.COMPRESSOR, compressor,
                TrainSetting.MEMORY, Compatibility.defaultMemory(Compressors.parse(compressor)).spec(),
                TrainSetting.GRANULARITY, granularity));
    }

    private LaminaRun run(String compressor, String granularity) {
        TrainConfig c = config(compressor, granularity);
        DistributedTrainer t = new DistributedTrainer(sc, c, data);
        List<StepRecord> records = new ArrayList<>();
        t.addListener(records::add);
        long sparkBytes;
        try {
            t.start();
            for (int i = 0; i < c.steps(); i++) {
                if (i == s.warmupSteps()) {
                    resultBytes.set(0);
                }
                t.runStep(false);
            }
            sparkBytes = resultBytes.get();
        } finally {
            t.close();
        }
        List<StepRecord> m = records.subList(s.warmupSteps(), records.size());
        double wall = m.stream().mapToDouble(StepRecord::wallMs).sum();
        double sps = m.stream().mapToLong(StepRecord::examples).sum() / (wall / 1000);
        LaminaRun r = new LaminaRun(s.model().cliName(), compressor, granularity, c.memory(),
                c.placement().placement().cliName(), LaminaRun.TREE_EXCHANGE, sps, median(m, StepRecord::wallMs),
                median(m, StepRecord::computeMaxMs), median(m, StepRecord::overheadMs), median(m, StepRecord::applyMeanMs),
                median(m, StepRecord::encodeMeanMs), median(m, StepRecord::driverUpdateMs),
                m.stream().mapToLong(StepRecord::uplinkBytes).average().orElse(0),
                m.stream().mapToLong(StepRecord::downlinkBytes).average().orElse(0), (double) sparkBytes / m.size());
        out.printf(Locale.ROOT, "Lamina %s / %s (memory %s, optimizer on %s): %.0f samples/s, up %.0f B/step (Spark task results %.0f),"
                + " down %.0f B/step%n", compressor, granularity, c.memory(), c.placement().describe(), sps, r.uplinkPerStep(),
                r.sparkResultBytesPerStep(), r.downlinkPerStep());
        return r;
    }

    private static double median(List<StepRecord> records, ToDoubleFunction<StepRecord> f) {
        return Medians.of(records.stream().mapToDouble(f).toArray());
    }
}
