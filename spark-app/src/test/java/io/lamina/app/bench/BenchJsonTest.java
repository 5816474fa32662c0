package io.lamina.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.app.config.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench.json's layout from given figures (no Spark): measured baselines appear, unmeasured and non-finite ones do not. */
class BenchJsonTest {

    @TempDir
    Path tmp;

    private static final BenchRunner.Settings SETTINGS = new BenchRunner.Settings(TrainConfig.defaults(), 3, 7,
            List.of("topk:0.01"), List.of("layer"), true, false, null);
    private static final Floors FLOORS = new Floors(5.25, 6.5, 12.125, 2, 0, 1024, 1_724_320);

    private static LaminaRun run(String compressor, double overhead, double uplink) {
        return new LaminaRun("lenet", compressor, "layer", "none", "master", LaminaRun.TREE_EXCHANGE, 400, 300,
                240, overhead, 8, 1, 10, uplink, 2000, uplink + 100);
    }

    private static JsonNode json(Baselines b, List<LaminaRun> runs) throws Exception {
        ObjectMapper m = new ObjectMapper();
        return m.readTree(m.writeValueAsString(BenchJson.content(SETTINGS, FLOORS, b, runs, null,
                Instant.parse("2025-01-02T03:04:05Z"))));
    }

    @Test
    void measuredBaselinesAreNamedForTheWorkerCountAndEveryRunCarriesItsFloor() throws Exception {
        Baselines b = new Baselines(150.0, 260.0, new Baselines.ParameterAveraging(120, 3.4e6, 3.5e6, 0.81), null);
        JsonNode j = json(b, List.of(run("none", 60, 3.45e6), run("topk:0.01", 40, 70_000)));
        assertEquals(150.0, j.get("baselines").get("fit_1thread").asDouble());
        assertEquals(260.0, j.get("baselines").get("fit_2concurrent").asDouble());
        assertEquals(120.0, j.get("baselines").get("parameter_averaging").asDouble());
        assertFalse(j.get("baselines").has("shared_training_master"));
        assertEquals(0.81, j.get("parameter_averaging").get("test_accuracy").asDouble());
        assertFalse(j.has("git_commit"), "absent when not known");
        assertEquals("2025-01-02T03:04:05Z", j.get("timestamp").asText());
        assertEquals(List.of("tiny", "broadcast", "dense_result"), List.copyOf(iterable(j.get("floor_ms"))));
        assertEquals(12.125, j.get("floor_ms").get("dense_result").asDouble());
        JsonNode none = j.get("runs").get(0);
        assertEquals("dense_result", none.get("floor").asText());
        assertEquals(60 - 12.125, none.get("overhead_above_floor_ms").asDouble(), 1e-9);
        assertEquals(60 - 8 - 1 - 10, none.get("overhead_parts_ms").get("spark").asDouble(), 1e-9);
        JsonNode topk = j.get("runs").get(1);
        assertEquals("broadcast", topk.get("floor").asText());
        assertEquals(40 - 6.5, topk.get("overhead_above_floor_ms").asDouble(), 1e-9);
        assertEquals(70_000, topk.get("uplink_bytes_per_step").asDouble());
    }

    @Test
    void aFigureThatIsNotFiniteIsLeftOutNotWrittenAsNaN() throws Exception {
        JsonNode j = json(new Baselines(Double.NaN, null, null, null), List.of(run("none", 60, Double.NaN)));
        assertTrue(j.get("baselines").isEmpty(), j.toString());
        assertFalse(j.get("runs").get(0).has("uplink_bytes_per_step"), j.toString());
        assertTrue(j.get("runs").get(0).has("downlink_bytes_per_step"));
    }

    @Test
    void theOutputFolderIsCreatedAndAFileInItsPlaceIsRefused() throws Exception {
        Path dir = tmp.resolve("a/b");
        BenchJson.prepare(dir);
        assertTrue(Files.isDirectory(dir));
        Path written = BenchJson.write(dir, BenchJson.content(SETTINGS, FLOORS, Baselines.NONE,
                List.of(run("none", 60, 1)), "0123456789abcdef0123456789abcdef01234567", Instant.now()));
        assertEquals(dir.resolve("bench.json"), written);
        assertEquals("0123456789abcdef0123456789abcdef01234567",
                new ObjectMapper().readTree(written.toFile()).get("git_commit").asText());
        Path file = Files.writeString(tmp.resolve("f"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchJson.prepare(file.resolve("x/y")));
        assertTrue(e.getMessage().contains(file + " is a file, not a folder"), e.getMessage());
    }

    private static List<String> iterable(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
