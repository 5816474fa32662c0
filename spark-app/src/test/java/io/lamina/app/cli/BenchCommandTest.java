package io.lamina.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lamina bench} end to end on a small run (MLP, local[2], a few steps, no baselines): the
 * Spark floor table, each run's overhead as "floor + X", and bench.json with every figure; a bad
 * {@code --output} fails before anything runs. No timing is asserted: it is a benchmark.
 */
class BenchCommandTest {

    @TempDir
    Path tmp;

    @Test
    void printsTheFloorAndEachOverheadAboveItAndWritesBenchJson() throws Exception {
        Path dir = tmp.resolve("new/folder");
        CliRun r = CliRun.of("bench", "--model", "mlp", "--workers", "2", "--batch", "32", "--warmup", "2", "--steps", "5",
                "--no-baselines", "--compressors", "topk:0.01", "--output", dir.toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out();

        assertTrue(out.contains("## Spark floor"), out);
        int floorTable = out.indexOf("## Spark floor");
        assertTrue(floorTable < out.indexOf("## Engine") && floorTable < out.indexOf("## Step time split"),
                "the floor table comes first: " + out);
        for (String kind : List.of("tiny", "broadcast", "dense_result")) {
            assertTrue(Pattern.compile("(?m)^\\| `" + kind + "` \\|.*\\| \\d+\\.\\d \\|$").matcher(out).find(),
                    "floor row " + kind + ": " + out);
        }
        // One step-split row per run, its overhead against the matching floor.
        Matcher split = Pattern.compile("(?m)^\\| (none|topk:0\\.01) \\| layer \\|.*\\| `(\\w+)` [\\d.]+ \\| floor [+-] \\d+\\.\\d \\|")
                .matcher(out);
        List<String> splitRows = new ArrayList<>();
        while (split.find()) {
            splitRows.add(split.group(1) + "=" + split.group(2));
        }
        assertEquals(List.of("none=dense_result", "topk:0.01=broadcast"), splitRows, out);
        assertFalse(out.contains("NaN"), "nothing unmeasured is printed: " + out);
        assertFalse(out.contains("single-JVM DL4J fit, 1 thread"), "no baseline rows with --no-baselines: " + out);

        JsonNode json = new ObjectMapper().readTree(dir.resolve("bench.json").toFile());
        assertEquals(1, json.get("format").asInt());
        assertTrue(json.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), json.get("timestamp").asText());
        if (json.has("git_commit")) {
            assertTrue(json.get("git_commit").asText().matches("[0-9a-f]{40}"), json.get("git_commit").asText());
        }
        assertTrue(json.get("machine").get("cores").asInt() >= 1);
        assertFalse(json.get("machine").get("java_version").asText().isEmpty());
        JsonNode settings = json.get("settings");
        assertEquals("mlp", settings.get("model").asText());
        assertEquals(2, settings.get("workers").asInt());
        assertEquals(32, settings.get("batch_per_worker").asInt());
        assertEquals(2, settings.get("warmup_steps").asInt());
        assertEquals(5, settings.get("steps").asInt());
        for (String kind : List.of("tiny", "broadcast", "dense_result")) {
            double ms = json.get("floor_ms").get(kind).asDouble();
            assertTrue(json.get("floor_ms").get(kind).isNumber() && ms > 0 && Double.isFinite(ms), kind + " " + ms);
        }
        assertEquals(4 * 235_146, json.get("floor_shape").get("dense_bytes").asInt());
        assertTrue(json.get("baselines").isObject() && json.get("baselines").isEmpty(), json.get("baselines").toString());
        assertFalse(json.has("parameter_averaging"));

        JsonNode runs = json.get("runs");
        assertEquals(2, runs.size(), runs.toString());
        assertEquals("none", runs.get(0).get("compressor").asText());
        assertEquals("topk:0.01", runs.get(1).get("compressor").asText());
        for (JsonNode run : runs) {
            assertEquals("mlp", run.get("model").asText());
            assertEquals("layer", run.get("granularity").asText());
            assertEquals("tree", run.get("exchange").asText());
            for (String key : List.of("samples_per_second", "median_wall_ms", "median_compute_ms", "median_overhead_ms",
                    "overhead_above_floor_ms", "uplink_bytes_per_step", "downlink_bytes_per_step")) {
                assertFinite(run, key);
            }
            for (String part : List.of("replica_update", "encoding", "driver", "spark")) {
                assertFinite(run.get("overhead_parts_ms"), part);
            }
            assertTrue(run.get("samples_per_second").asDouble() > 0 && run.get("uplink_bytes_per_step").asDouble() > 0,
                    run.toString());
            double parts = 0;
            for (JsonNode p : run.get("overhead_parts_ms")) {
                parts += p.asDouble();
            }
            assertEquals(run.get("median_overhead_ms").asDouble(), parts, 0.01, "the parts add up to the overhead");
            String floor = run.get("floor").asText();
            assertEquals(run.get("median_overhead_ms").asDouble() - json.get("floor_ms").get(floor).asDouble(),
                    run.get("overhead_above_floor_ms").asDouble(), 0.01, "overhead above the floor");
        }
        assertEquals("dense_result", runs.get(0).get("floor").asText());
        assertEquals("broadcast", runs.get(1).get("floor").asText());
        // A dense MLP gradient per worker is 940,584 bytes; Top-k 1% sends a small part of that.
        assertTrue(runs.get(0).get("uplink_bytes_per_step").asDouble() >= 2 * 4 * 235_146);
        assertTrue(runs.get(1).get("uplink_bytes_per_step").asDouble() < runs.get(0).get("uplink_bytes_per_step").asDouble() / 10);
    }

    @Test
    void aFileWhereTheOutputFolderShouldBeFailsBeforeTheRuns() throws Exception {
        Path file = Files.writeString(tmp.resolve("taken"), "not a folder");
        for (Path bad : List.of(file, file.resolve("below"))) {
            CliRun r = CliRun.of("bench", "--model", "mlp", "--no-baselines", "--steps", "1", "--output", bad.toString());
            assertEquals(LaminaCli.EXIT_BAD_INPUT, r.code(), r.err());
            assertTrue(r.err().contains("--output " + bad) && r.err().contains("is a file, not a folder"), r.err());
            assertFalse(r.out().contains("Spark floor") || r.out().contains("# lamina bench"),
                    "nothing ran: " + r.out());
        }
        assertEquals("not a folder", Files.readString(file));
    }

    private static void assertFinite(JsonNode node, String key) {
        assertTrue(node.has(key) && node.get(key).isNumber() && Double.isFinite(node.get(key).asDouble()),
                key + " in " + node);
    }
}
