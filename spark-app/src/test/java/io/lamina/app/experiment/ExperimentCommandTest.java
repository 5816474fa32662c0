package io.lamina.app.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.app.cli.CliRun;
import io.lamina.app.cli.LaminaCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lamina experiment}: dry runs of shipped and bad files, and a tiny real experiment. */
class ExperimentCommandTest {

    @TempDir
    Path tmp;

    @Test
    void dryRunOfAShippedFileExitsZeroAndListsTheRuns() {
        Path file = Path.of("..", "conf", "experiments", "granularity.yaml");
        Path out = tmp.resolve("never");
        CliRun r = CliRun.of("experiment", file.toString(), "--dry-run", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("4 runs"), r.out());
        for (String id : List.of("granularity=layer", "granularity=model", "granularity=bucket_65536",
                "compressor=none,memory=none")) {
            assertTrue(r.out().contains(id), "dry run should list " + id + ": " + r.out());
        }
        assertFalse(Files.exists(out), "a dry run writes nothing");
    }

    @Test
    void invalidFilesExitTwoNamingFileAndKey() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "grid:\n  compressor: [none, zip]\n");
        CliRun r = CliRun.of("experiment", bad.toString(), "--dry-run");
        assertEquals(LaminaCli.EXIT_BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("bad.yaml") && r.err().contains("grid.compressor[1]")
                && r.err().contains("unknown compressor 'zip'"), r.err());

        Path tooBig = Files.writeString(tmp.resolve("big.yaml"), "base: {model: mlp, steps: 1}\ngrid: {batch: [8, 5000]}\n");
        r = CliRun.of("experiment", tooBig.toString());
        assertEquals(LaminaCli.EXIT_BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("big.yaml") && r.err().contains("batch=5000") && r.err().contains("allowed: 1.."),
                r.err());

        r = CliRun.of("experiment", tmp.resolve("missing.yaml").toString(), "--dry-run");
        assertEquals(LaminaCli.EXIT_BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("missing.yaml") && r.err().contains("no such file"), r.err());
    }

    @Test
    void aTinyExperimentRunsBothRunsAndWritesJsonlAndResults() throws Exception {
        Path root = tmp.resolve("exp");
        Path file = Files.writeString(tmp.resolve("tiny.yaml"), """
                name: tiny
                output: %s
                base:
                  model: mlp
                  batch: 16
                  steps: 10
                  memory: residual
                grid:
                  compressor: [none, topk:0.01]
                """.formatted(root));
        CliRun r = CliRun.of("experiment", file.toString(), "--master", "local[2]");
        assertEquals(0, r.code(), r.out() + r.err());
        // the default warm-up runs once, before the first run, and leaves nothing in the output
        assertEquals(1, r.out().lines().filter(l -> l.contains("warming up with 20 steps of compressor=none")).count(),
                r.out());
        assertTrue(r.out().indexOf("warmed up in") < r.out().indexOf("run 1/2"), r.out());
        try (var entries = Files.list(root)) {
            assertEquals(List.of("compressor=none", "compressor=topk_0.01", "experiment.jsonl", "experiment.yaml",
                    "results.md"), entries.map(p -> p.getFileName().toString()).sorted().toList());
        }

        List<String> lines = Files.readAllLines(root.resolve("experiment.jsonl"));
        assertEquals(2, lines.size());
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        JsonNode second = json.readTree(lines.get(1));
        assertEquals("compressor=none", first.get("run").asText());
        assertEquals("compressor=topk_0.01", second.get("run").asText());
        assertEquals("topk:0.01", second.get("values").get("compressor").asText());
        for (JsonNode line : List.of(first, second)) {
            assertEquals("completed", line.get("status").asText());
            assertEquals(10, line.get("steps").asInt());
            for (String key : List.of("test_accuracy", "test_loss", "samples_per_second", "uplink_bytes",
                    "downlink_bytes", "wall_seconds", "compression_ratio")) {
                assertTrue(line.hasNonNull(key), "experiment.jsonl lacks " + key + ": " + line);
            }
            Path dir = Path.of(line.get("output").asText());
            assertTrue(Files.isRegularFile(dir.resolve("summary.json")) && Files.isRegularFile(dir.resolve("model.zip")),
                    "run folder " + dir);
            assertEquals(10, Files.readAllLines(dir.resolve("metrics.jsonl")).size());
        }
        assertTrue(second.get("uplink_bytes").asLong() * 10 < first.get("uplink_bytes").asLong(),
                "top-k 1% sends far less: " + second.get("uplink_bytes") + " vs " + first.get("uplink_bytes"));
        assertTrue(second.get("compression_ratio").asDouble() > 10, second.toString());

        String md = Files.readString(root.resolve("results.md"));
        assertTrue(md.contains("# Experiment tiny"), md);
        assertTrue(md.contains("| run | compressor | status | test acc %"), md);
        assertTrue(md.contains("`topk:0.01`") && md.contains("`none`"), md);
        assertEquals(2, md.lines().filter(l -> l.contains("| completed |")).count(), md);
        assertTrue(Files.isRegularFile(root.resolve("experiment.yaml")), "the file that ran is copied");

        // --resume: both runs are complete with the same settings, so nothing trains again
        long modelTime = Files.getLastModifiedTime(Path.of(first.get("output").asText()).resolve("model.zip")).toMillis();
        r = CliRun.of("experiment", file.toString(), "--master", "local[2]", "--resume");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(2, r.out().lines().filter(l -> l.contains("already completed")).count(), r.out());
        assertFalse(r.out().contains("warming up"), "nothing trains, so nothing warms up: " + r.out());
        assertEquals(2, Files.readAllLines(root.resolve("experiment.jsonl")).size());
        assertEquals(modelTime,
                Files.getLastModifiedTime(Path.of(first.get("output").asText()).resolve("model.zip")).toMillis());
    }
}
