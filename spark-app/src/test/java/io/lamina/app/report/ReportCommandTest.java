package io.lamina.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.cli.CliRun;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lamina report} over a real experiment: {@code none} and Top-k 5% layer-wise and entire
 * model, a small MLP for 20 steps on the embedded data in local[2], run by {@code lamina experiment}.
 */
class ReportCommandTest {

    @TempDir
    static Path tmp;
    static Path experiment;
    static Path report;
    static CliRun reported;

    @BeforeAll
    static void runTheExperimentAndTheReport() throws Exception {
        experiment = tmp.resolve("exp");
        Path file = Files.writeString(tmp.resolve("grid.yaml"), """
                name: report-test
                output: %s
                base:
                  model: mlp
                  batch: 16
                  steps: 20
                  eval-every: 5
                grid:
                  compressor: [topk:0.05]
                  memory: [residual]
                  granularity: [layer, model]
                include:
                  - {compressor: none, memory: none}
                """.formatted(experiment));
        CliRun r = CliRun.of("experiment", file.toString(), "--master", "local[2]");
        assertEquals(0, r.code(), r.out() + r.err());
        report = tmp.resolve("report");
        reported = CliRun.of("report", experiment.toString(), "--output", report.toString(),
                "--project", "workers=8,32", "bandwidth=1,10");
        assertEquals(0, reported.code(), reported.out() + reported.err());
    }

    @Test
    void theTableHoldsEveryRunTheRatioAndAParsableCsv() throws Exception {
        String md = Files.readString(report.resolve("report.md"));
        assertTrue(md.contains("3 runs from"), md);
        assertTrue(md.contains("| run | method | memory | granularity |") && md.contains("| layer/model acc |"), md);
        List<String> rows = md.lines().filter(l -> l.startsWith("| topk") || l.startsWith("| none")).toList();
        assertEquals(3 + 3 * 4 + 3, rows.size(), "3 runs in the table, in each of 4 projections and the inputs: " + md);

        List<Map<String, String>> csv = Csv.parse(Files.readString(report.resolve("report.csv")));
        assertEquals(3, csv.size());
        assertEquals(List.of("topk:0.05", "topk:0.05", "none"), csv.stream().map(m -> m.get("compressor")).toList());
        assertEquals(List.of("layer", "model", "layer"), csv.stream().map(m -> m.get("granularity")).toList());
        double layerAcc = Double.parseDouble(csv.get(0).get("final_test_accuracy"));
        double modelAcc = Double.parseDouble(csv.get(1).get("final_test_accuracy"));
        assertEquals(layerAcc / modelAcc, Double.parseDouble(csv.get(0).get("layer_over_model_accuracy")), 1e-12);
        assertEquals(csv.get(0).get("layer_over_model_accuracy"), csv.get(1).get("layer_over_model_accuracy"));
        assertEquals("", csv.get(2).get("layer_over_model_accuracy"));
        assertEquals(String.valueOf(firstStepAtTarget(experiment.resolve("compressor=none,memory=none"))),
                csv.get(2).get("steps_to_target"), csv.get(2).toString());
        for (Map<String, String> row : csv) {
            assertTrue(Double.parseDouble(row.get("uplink_bytes_total")) > 0, row.toString());
            assertEquals(20 * Double.parseDouble(row.get("uplink_bytes_per_step")),
                    Double.parseDouble(row.get("uplink_bytes_total")), 1e-6 * Double.parseDouble(row.get("uplink_bytes_total")));
        }
        assertTrue(Double.parseDouble(csv.get(0).get("uplink_bytes_total")) * 10
                < Double.parseDouble(csv.get(2).get("uplink_bytes_total")), "top-k 5% sends far less than none");
    }

    @Test
    void everyPlotDecodesIsNotBlankAndIsInlinedInTheHtml() throws Exception {
        List<Path> pngs;
        try (Stream<Path> files = Files.list(report)) {
            pngs = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        // The runs sample the compression error (--theory-every, default 10): its plots are there too.
        List<String> expected = List.of("accuracy_vs_bytes.png", "accuracy_vs_steps.png", "accuracy_vs_time.png",
                "bytes_per_segment.png", "loss_vs_steps.png", "omega_per_segment.png", "relative_error_per_segment.png",
                "relative_error_vs_steps.png");
        assertEquals(expected, pngs.stream().map(p -> p.getFileName().toString()).toList());
        String html = Files.readString(report.resolve("report.html"));
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        int inlined = 0;
        while (m.find()) {
            inlined++;
        }
        assertEquals(pngs.size(), inlined, "one inlined image per plot");
        for (Path png : pngs) {
            byte[] bytes = Files.readAllBytes(png);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            assertNotNull(image, png + " does not decode");
            assertEquals(1000, image.getWidth());
            assertTrue(greyVariance(image) > 100, png + " looks blank: variance " + greyVariance(image));
            assertTrue(html.contains("id=\"" + png.getFileName() + "\"><img alt=")
                    && html.contains(Base64.getEncoder().encodeToString(bytes)), png + " is not inlined");
        }
        assertFalse(html.contains("src=\"http") || html.contains("href=\"http"), "self-contained: no outside resource");
        assertTrue(html.contains("<h3>32 workers, 10 Gbit/s</h3>") && html.contains("binomial tree"), "the projection");
        assertTrue(html.contains("3 runs from"), "the header says what was compared");
    }

    /** Steps until an evaluation reached 95% of the run's best, computed here from metrics.jsonl. */
    private static long firstStepAtTarget(Path run) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> evals = Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .map(l -> {
                    try {
                        return json.readTree(l);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }).filter(n -> n.has("test_accuracy")).toList();
        assertEquals(4, evals.size(), "evaluations at steps 5, 10, 15, 20");
        double best = evals.stream().mapToDouble(n -> n.get("test_accuracy").asDouble()).max().orElseThrow();
        return evals.stream().filter(n -> n.get("test_accuracy").asDouble() >= 0.95 * best).findFirst().orElseThrow()
                .get("step").asLong() + 1;
    }

    private static double greyVariance(BufferedImage image) {
        double sum = 0;
        double sq = 0;
        long n = (long) image.getWidth() * image.getHeight();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                double g = 0.299 * (rgb >> 16 & 255) + 0.587 * (rgb >> 8 & 255) + 0.114 * (rgb & 255);
                sum += g;
                sq += g * g;
            }
        }
        return sq / n - (sum / n) * (sum / n);
    }
}
