package io.lamina.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.cli.CliRun;
import io.lamina.app.cli.LaminaCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report over hand-made run folders, so every figure can be checked by hand: targets, ratios,
 * the theory fields' means, and unreadable runs skipped with a message.
 */
class ReportFromFilesTest {

    @TempDir
    Path tmp;
    Path experiment;

    /**
     * An experiment folder: {@code none} (best 0.9, so the target is 0.855, reached at step 4 after
     * 0.4 s), Top-k layer-wise with theory fields on steps 1 and 3 (relative error 0.2 and 0.4,
     * Omega 1 and 3; final accuracy 0.8) and Top-k entire-model without them (final 0.5): the
     * layer/model ratio is 0.8 / 0.5 = 1.6. Plus two broken runs.
     */
    @BeforeEach
    void runs() throws Exception {
        experiment = tmp.resolve("exp");
        new RunFolders("none", "none", "layer").step(2.0, 4000, null).step(1.5, 4000, 0.6).step(1.2, 4000, null)
                .step(1.0, 4000, 0.9).write(experiment.resolve("a-none"));
        new RunFolders("topk:0.05", "residual", "layer").step(2.0, 400, null).theory(0.2, 1.0).step(1.6, 400, 0.7)
                .step(1.4, 400, null).theory(0.4, 3.0).step(1.3, 400, 0.8).write(experiment.resolve("b-topk-layer"));
        new RunFolders("topk:0.05", "residual", "model").step(2.0, 400, null).step(1.7, 400, 0.4)
                .step(1.6, 400, null).step(1.5, 400, 0.5).write(experiment.resolve("c-topk-model"));
        Path corrupt = new RunFolders("none", "none", "layer").step(1, 1, 0.5).step(1, 1, 0.5)
                .write(experiment.resolve("d-corrupt"));
        List<String> lines = Files.readAllLines(corrupt.resolve("metrics.jsonl"));
        Files.writeString(corrupt.resolve("metrics.jsonl"), lines.get(0) + "\n" + lines.get(1).substring(0, 20) + "\n");
        Path noMetrics = new RunFolders("none", "none", "layer").step(1, 1, 0.5).write(experiment.resolve("e-no-metrics"));
        Files.delete(noMetrics.resolve("metrics.jsonl"));
    }

    @Test
    void figuresTargetsRatiosAndTheoryMeansMatchTheHandComputedValues() throws Exception {
        Path out = tmp.resolve("report");
        Report.Written w = Report.write(List.of(experiment), out, null,
                Projections.Grid.parse(List.of("workers=8", "bandwidth=0.01")));
        assertEquals(3, w.runs());
        assertEquals(2, w.skipped().size(), w.skipped().toString());
        assertTrue(w.skipped().get(0).contains("d-corrupt") && w.skipped().get(0).contains("corrupt metrics.jsonl line 2"),
                w.skipped().get(0));
        assertTrue(w.skipped().get(1).contains("e-no-metrics") && w.skipped().get(1).contains("missing metrics.jsonl"),
                w.skipped().get(1));

        List<Map<String, String>> csv = Csv.parse(Files.readString(out.resolve("report.csv")));
        assertEquals(3, csv.size());
        Map<String, String> none = csv.get(0);
        Map<String, String> layer = csv.get(1);
        Map<String, String> model = csv.get(2);
        assertEquals("none", none.get("compressor"));
        assertEquals("4", none.get("steps_to_target"));
        assertEquals(0.4, Double.parseDouble(none.get("seconds_to_target")), 1e-9);
        assertEquals("", layer.get("steps_to_target"), "0.8 never reaches 0.855");
        assertEquals(0.3, Double.parseDouble(layer.get("relative_error")), 1e-12);
        assertEquals(2.0, Double.parseDouble(layer.get("omega")), 1e-12);
        assertEquals(6.0, Double.parseDouble(layer.get("omega_layerwise_sum")), 1e-12);
        assertEquals(8.0, Double.parseDouble(layer.get("omega_entire_model_bound")), 1e-12);
        assertEquals("", model.get("relative_error"), "no theory fields: blank");
        assertEquals("", none.get("omega"));
        assertEquals(1.6, Double.parseDouble(layer.get("layer_over_model_accuracy")), 1e-12);
        assertEquals(1.6, Double.parseDouble(model.get("layer_over_model_accuracy")), 1e-12);
        assertEquals("", none.get("layer_over_model_accuracy"), "none has no entire-model twin");
        assertEquals(400.0, Double.parseDouble(layer.get("uplink_bytes_per_step")), 1e-9);
        assertEquals(1600.0, Double.parseDouble(layer.get("uplink_bytes_total")), 1e-9);
        assertEquals(0.9, Double.parseDouble(none.get("best_test_accuracy")), 1e-12);

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("Target accuracy 85.50%: 95% of the best `none` run's best test accuracy (90.00%"), md);
        assertTrue(md.contains("| rel. error | Omega |"), md);
        assertTrue(md.contains("d-corrupt: corrupt metrics.jsonl line 2"), md);
        assertTrue(md.contains("### 8 workers, 0.01 Gbit/s"), md);
        for (String png : List.of("relative_error_per_segment.png", "omega_per_segment.png",
                "relative_error_vs_steps.png", "bytes_per_segment.png", "accuracy_vs_steps.png")) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
            assertTrue(md.contains("](" + png + ")"), png);
        }

        // the projection: Top-k sends 10x less, so on a slow link it beats none; none against itself is 1
        Comparison c = new Comparison(RunReader.read(List.of(experiment)).runs(), null);
        Projections p = new Projections(c, Projections.Grid.parse(List.of("workers=8", "bandwidth=0.01")));
        assertEquals(1.0, p.speedup(c.runs().get(0), 8, 0.01), 1e-12);
        // by hand (1250 bytes/ms, alpha 0.1 ms, C = 40 + 2 ms, f = 3, 2 levels, 4 broadcast rounds):
        // none: workers send 1500 + 500 bytes, merged messages hit dense 3200 + 800 from 3 workers on:
        //   42 + (0.1 + 3 x 2000/1250) + (0.1 + 3 x 4000/1250) + 4 (0.1 + 4000/1250) = 69.8 ms
        // top-k: 150 + 50 bytes, rho = 1: S(3) = 600, S(8) = 1600:
        //   42 + (0.1 + 3 x 200/1250) + (0.1 + 3 x 600/1250) + 4 (0.1 + 1600/1250) = 49.64 ms
        assertEquals(69.8, p.project(c.runs().get(0), 8, 0.01).stepMs(), 1e-9);
        assertEquals(49.64, p.project(c.runs().get(1), 8, 0.01).stepMs(), 1e-9);
        assertEquals(69.8 / 49.64, p.speedup(c.runs().get(1), 8, 0.01), 1e-9);
        assertEquals(42.0, Projections.profile(c.runs().get(0)).computeMs(), 1e-12, "median compute + encode");
        assertTrue(p.checkRows().isEmpty(), "no two runs differ only in workers");
        assertFalse(md.contains("Checked against runs measured at more workers"), md);
    }

    @Test
    void theProjectedMergedMessageIsCheckedAgainstARunAtMoreWorkers() throws Exception {
        Path two = new RunFolders("topk:0.05", "residual", "layer").step(2.0, 400, 0.5).step(1.5, 400, 0.6)
                .write(tmp.resolve("w2"));
        Path four = new RunFolders("topk:0.05", "residual", "layer").workers(4).step(2.0, 800, 0.5)
                .step(1.5, 800, 0.6).write(tmp.resolve("w4"));
        Path other = new RunFolders("topk:0.05", "none", "layer").workers(4).step(2.0, 800, 0.5)
                .write(tmp.resolve("other-memory"));
        Comparison c = new Comparison(RunReader.read(List.of(two, four, other)).runs(), null);
        Projections p = new Projections(c, Projections.Grid.parse(List.of("workers=8", "bandwidth=1")));
        // From 2 workers: a worker sends 150 + 50 bytes and the merged message per worker is 400 = 2 x 200,
        // so rho = 1 and S(4) = 4 x 150 + 4 x 50 = 800; the 4-worker run measured 1600 / 4 = 400.
        List<List<String>> rows = p.checkRows();
        assertEquals(1, rows.size(), "only the 4-worker run with the same settings has a sibling: " + rows);
        assertEquals(List.of(c.label(c.runs().get(1)), "2 workers", "200 B", "800 B", "400 B", "2.000"), rows.get(0));

        Path out = tmp.resolve("checked");
        Report.write(List.of(two, four, other), out, null, Projections.Grid.parse(List.of("workers=8", "bandwidth=1")));
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("### Checked against runs measured at more workers") && md.contains("| 2.000 |"), md);
        assertTrue(Files.readString(out.resolve("report.html")).contains("Checked against runs measured at more workers"));
    }

    @Test
    void seedsOfTheSameGranularityPairAreSummarisedWithMeanAndSpreadOfTheDifference() throws Exception {
        Path dir = tmp.resolve("seeds");
        double[][] acc = {{0.80, 0.79}, {0.78, 0.76}, {0.76, 0.75}}; // layer, model at seeds 42, 1, 7
        int[] seeds = {42, 1, 7};
        for (int i = 0; i < seeds.length; i++) {
            new RunFolders("topk:0.01", "none", "layer").seed(seeds[i]).step(2.0, 400, acc[i][0])
                    .write(dir.resolve("topk-layer-" + seeds[i]));
            new RunFolders("topk:0.01", "none", "model").seed(seeds[i]).step(2.0, 400, acc[i][1])
                    .write(dir.resolve("topk-model-" + seeds[i]));
        }
        // one seed only, and a seed with one side only: neither makes a row
        new RunFolders("randomk:0.01", "none", "layer").step(2.0, 400, 0.5).write(dir.resolve("rk-layer-42"));
        new RunFolders("randomk:0.01", "none", "model").step(2.0, 400, 0.4).write(dir.resolve("rk-model-42"));
        new RunFolders("randomk:0.01", "none", "layer").seed(1).step(2.0, 400, 0.5).write(dir.resolve("rk-layer-1"));
        new RunFolders("none", "none", "layer").step(2.0, 4000, 0.9).write(dir.resolve("none"));

        Comparison c = new Comparison(RunReader.read(List.of(dir)).runs(), null);
        SeedSummary s = new SeedSummary(c);
        assertEquals(1, s.rows().size(), s.rows().toString());
        SeedSummary.Row row = s.rows().get(0);
        assertEquals(List.of(1L, 7L, 42L), row.seeds());
        // differences +2, +1, +1 pp (seeds 1, 7, 42): mean 4/3, sd sqrt(((2/3)^2 + 2 (1/3)^2) / 2) = sqrt(1/3)
        assertEquals(4.0 / 3, row.meanDiff(), 1e-9);
        assertEquals(Math.sqrt(1.0 / 3), row.sdDiff(), 1e-9);
        assertEquals(0.78, row.layerMean(), 1e-12);
        assertEquals((0.79 + 0.76 + 0.75) / 3, row.modelMean(), 1e-12);
        assertTrue(row.label().startsWith("topk:0.01") && !row.label().contains("seed") && !row.label().contains("layer"),
                row.label());

        Path out = tmp.resolve("seed-report");
        Report.write(List.of(dir), out, null, null);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## Layer-wise vs entire model across seeds") && md.contains("| 1, 7, 42 | 78.00 | 76.67 | +1.33 | 0.58 | +2.00 / +1.00 / +1.00 |"), md);
        assertTrue(Files.readString(out.resolve("report.html")).contains("across seeds"));
        String single = Files.readString(Report.write(List.of(dir.resolve("rk-layer-42"), dir.resolve("rk-model-42")),
                tmp.resolve("one-seed"), null, null).files().stream().filter(f -> f.endsWith("report.md")).findFirst()
                .orElseThrow());
        assertFalse(single.contains("across seeds"), "one seed: no section");
    }

    @Test
    void aGridTooLargeForOneChartIsDrawnAsOnePanelPerMethodOnSharedAxes() throws Exception {
        Path dir = tmp.resolve("grid");
        List<String> methods = List.of("topk:0.01", "topk:0.1", "randomk:0.01", "terngrad", "qsgd:s=256", "threshold:v=0.01");
        for (int m = 0; m < methods.size(); m++) {
            for (String g : List.of("layer", "model")) {
                new RunFolders(methods.get(m), "none", g).step(2.0, 400, 0.5).theory(0.1 * m, 0.1 * m)
                        .step(1.0, 400, 0.6 + 0.02 * m + (g.equals("layer") ? 0.01 : 0))
                        .write(dir.resolve(m + "-" + g));
            }
        }
        new RunFolders("none", "none", "layer").step(2.0, 4000, 0.5).step(1.0, 4000, 0.9).write(dir.resolve("none"));
        Comparison c = new Comparison(RunReader.read(List.of(dir)).runs(), null);
        Map<String, List<RunData>> panels = SmallMultiples.panels(c);
        assertEquals(6, panels.size(), panels.keySet().toString());
        for (List<RunData> runs : panels.values()) {
            assertEquals(3, runs.size(), "layer-wise, entire model and the none reference");
            assertTrue(runs.get(2).isUncompressed());
        }
        assertEquals(null, SmallMultiples.panels(new Comparison(c.runs().subList(0, 10), null)), "10 runs: one chart");

        Path out = tmp.resolve("grid-report");
        Report.write(List.of(dir), out, null, null);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(out.resolve("accuracy_vs_steps.png").toFile());
        assertEquals(4 * 450, img.getWidth(), "four panels a row");
        assertEquals(64 + 2 * 330, img.getHeight(), "six panels: two rows");
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int x = 0; x < img.getWidth(); x += 7) {
            for (int y = 0; y < img.getHeight(); y += 7) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, "drawn, not blank: " + colours.size() + " colours");
        assertTrue(Files.exists(out.resolve("omega_per_segment.png")));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("width=\"1800\""), "the HTML page shows the image at its own width");
        assertTrue(Files.readString(out.resolve("report.md")).contains("One panel per method."));
    }

    @Test
    void eachRunIsMeasuredAgainstTheTargetOfItsOwnNoneReference() throws Exception {
        Path dir = tmp.resolve("two-optimizers");
        new RunFolders("none", "none", "layer").optimizer("sgd").step(2.0, 4000, 0.7).step(1.0, 4000, 0.8)
                .write(dir.resolve("none-sgd"));
        new RunFolders("none", "none", "layer").optimizer("nesterov").step(2.0, 4000, 0.8).step(1.0, 4000, 0.9)
                .write(dir.resolve("none-nesterov"));
        new RunFolders("topk:0.01", "none", "layer").optimizer("sgd").step(2.0, 400, 0.77).step(1.0, 400, 0.78)
                .write(dir.resolve("topk-sgd"));
        new RunFolders("topk:0.01", "none", "layer").optimizer("nesterov").step(2.0, 400, 0.77).step(1.0, 400, 0.86)
                .write(dir.resolve("topk-nesterov"));
        Comparison c = new Comparison(RunReader.read(List.of(dir)).runs(), null);
        assertTrue(c.targetsPerReference());
        Map<String, RunData> byDir = new java.util.HashMap<>();
        c.runs().forEach(r -> byDir.put(r.dir().getFileName().toString(), r));
        // sgd: 95% of 0.8 = 0.76, reached at step 1; nesterov: 95% of 0.9 = 0.855, reached at step 2
        assertEquals(1L, c.figures(byDir.get("topk-sgd")).stepsToTarget(), "a single target of 0.855 would leave it blank");
        assertEquals(2L, c.figures(byDir.get("topk-nesterov")).stepsToTarget());
        assertEquals(2L, c.figures(byDir.get("none-sgd")).stepsToTarget());
        assertEquals(0.855, c.target().accuracy(), 1e-12, "the highest target stands for them");
        assertTrue(c.target().how().contains("76.00% for none, layer-wise, optimizer=sgd")
                && c.target().how().contains("85.50% for none, layer-wise, optimizer=nesterov"), c.target().how());

        Comparison given = new Comparison(RunReader.read(List.of(dir)).runs(), 0.77);
        assertFalse(given.targetsPerReference());
        RunData nesterov = given.runs().stream().filter(r -> r.dir().endsWith("topk-nesterov")).findFirst().orElseThrow();
        assertEquals(1L, given.figures(nesterov).stepsToTarget(), "--target-accuracy 0.77 holds for every run");
    }

    @Test
    void aRunWhoseLossJumpedAndNeverCameBackIsMarkedCollapsed() throws Exception {
        Path dir = tmp.resolve("collapse");
        new RunFolders("topk:0.01", "none", "model").step(2.3, 400, null).step(1.5, 400, null).step(21.0, 400, 0.1)
                .step(2.31, 400, null).step(2.2, 400, 0.1).write(dir.resolve("dead"));
        // a spike it recovers from is not a collapse, nor is a loss that never jumps
        new RunFolders("topk:0.01", "none", "layer").step(2.3, 400, null).step(9.0, 400, null).step(1.0, 400, 0.6)
                .step(0.8, 400, 0.7).write(dir.resolve("recovered"));
        new RunFolders("none", "none", "layer").step(2.3, 4000, null).step(2.25, 4000, 0.2).write(dir.resolve("slow"));
        Path out = tmp.resolve("collapse-report");
        Report.write(List.of(dir), out, null, null);
        Map<String, String> byRun = new java.util.HashMap<>();
        for (Map<String, String> row : Csv.parse(Files.readString(out.resolve("report.csv")))) {
            byRun.put(row.get("granularity") + "/" + row.get("compressor"), row.get("status"));
        }
        // the last quarter (one step): 2.2 >= 0.95 x 2.3 = 2.185; and 21 > 3 x 2.3 in step 3
        assertEquals("completed, collapsed in step 3", byRun.get("model/topk:0.01"));
        assertEquals("completed", byRun.get("layer/topk:0.01"));
        assertEquals("completed", byRun.get("layer/none"));
        assertTrue(Files.readString(out.resolve("report.md")).contains("Collapsed in step s: the training loss rose above 3"));
    }

    @Test
    void runsWithoutTheoryFieldsGiveNoTheoryColumnsNorPlots() throws Exception {
        Path out = tmp.resolve("old");
        Report.Written w = Report.write(List.of(experiment.resolve("a-none"), experiment.resolve("c-topk-model")), out,
                0.45, null);
        assertEquals(2, w.runs());
        String md = Files.readString(out.resolve("report.md"));
        assertFalse(md.contains("rel. error") || md.contains("Omega"), md);
        assertFalse(Files.exists(out.resolve("relative_error_per_segment.png")));
        assertFalse(md.contains("Projected step time"), "no --project, no projection");
        assertTrue(md.contains("Target accuracy 45.00%: given with --target-accuracy"), md);
        Map<String, String> model = Csv.parse(Files.readString(out.resolve("report.csv"))).get(1);
        assertEquals("4", model.get("steps_to_target"), "0.5 at step 4 reaches 0.45");
        assertEquals("", model.get("layer_over_model_accuracy"), "its layer-wise twin is not in this report");
    }

    @Test
    void aNonFiniteLossAsJacksonWritesItIsReadNotRejected() throws Exception {
        Path run = new RunFolders("none", "none", "layer").step(2.0, 10, 0.3).step(Double.NaN, 10, null)
                .write(tmp.resolve("diverged"));
        assertTrue(Files.readString(run.resolve("metrics.jsonl")).contains("\"loss\":\"NaN\""), "Jackson's spelling");
        RunData r = RunReader.readRun(run);
        assertTrue(Double.isNaN(r.steps().get(1).loss()));
        Report.Written w = Report.write(List.of(run), tmp.resolve("nan"), null, null);
        assertEquals(1, w.runs());
        assertTrue(Files.size(tmp.resolve("nan").resolve("loss_vs_steps.png")) > 1000);
    }

    @Test
    void theCommandSkipsBadRunsWithAMessageAndFailsCleanlyWhenNothingIsLeft() throws Exception {
        CliRun r = CliRun.of("report", experiment.resolve("d-corrupt").toString(), experiment.resolve("e-no-metrics").toString(),
                tmp.resolve("nowhere").toString(), "--output", tmp.resolve("bad").toString());
        assertEquals(LaminaCli.EXIT_BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("no readable run") && r.err().contains("corrupt metrics.jsonl line 2")
                && r.err().contains("missing metrics.jsonl") && r.err().contains("nowhere: no such folder"), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(tmp.resolve("bad")), "nothing written");

        // --project's values end where a folder starts, even one named like a setting
        Path named = Files.move(experiment.resolve("a-none"), tmp.resolve("compressor=none"));
        Path two = tmp.resolve("two");
        r = CliRun.of("report", "--project", "workers=4,16", "bandwidth=1", named.toString(), experiment.resolve("d-corrupt").toString(),
                "--output", two.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("skipped") && r.err().contains("d-corrupt"), r.err());
        assertTrue(r.out().contains("1 runs; wrote"), r.out());
        String md = Files.readString(two.resolve("report.md"), StandardCharsets.UTF_8);
        assertTrue(md.contains("### 16 workers, 1 Gbit/s"), md);

        r = CliRun.of("report", named.toString(), "--target-accuracy", "85");
        assertEquals(LaminaCli.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("--target-accuracy must be a fraction in (0, 1]"), r.err());
        r = CliRun.of("report", named.toString(), "--project", "workers=4");
        assertEquals(LaminaCli.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("--project needs both workers"), r.err());
    }

}
