package io.lamina.app.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small run folders as {@code lamina train} does (summary.json with its config,
 * metrics.jsonl), with figures chosen by the test, so the report's arithmetic can be checked by hand.
 */
final class RunFolders {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String compressor;
    private final String memory;
    private final String granularity;
    private final List<Map<String, Object>> steps = new ArrayList<>();
    private int seed = 42;
    private String optimizer = "adam";
    private int workers = 2;

    RunFolders(String compressor, String memory, String granularity) {
        this.compressor = compressor;
        this.memory = memory;
        this.granularity = granularity;
    }

    RunFolders workers(int w) {
        workers = w;
        return this;
    }

    RunFolders optimizer(String o) {
        optimizer = o;
        return this;
    }

    RunFolders seed(int s) {
        seed = s;
        return this;
    }

    /**
     * Adds a step of 100 ms wall time, 40 ms compute, with the given loss and uplink bytes (all
     * workers, split over two segments 3:1), 2x as many downlink bytes, and the test accuracy
     * when not null.
     */
    RunFolders step(double loss, long uplink, Double accuracy) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", (long) steps.size());
        m.put("epoch", 0);
        m.put("wall_ms", 100.0);
        m.put("compute_max_ms", 40.0);
        m.put("encode_mean_ms", 2.0);
        m.put("loss", loss);
        m.put("examples", 32);
        m.put("uplink_bytes", uplink);
        m.put("downlink_bytes", 2 * uplink);
        m.put("segments", new ArrayList<>(List.of(segment("0_W", 800, 3 * uplink / 4), segment("0_b", 200, uplink / 4))));
        if (accuracy != null) {
            m.put("test_accuracy", accuracy);
            m.put("test_loss", loss);
        }
        steps.add(m);
        return this;
    }

    /** Adds the theory fields to the last step: whole-model and per-segment relative error and Omega. */
    @SuppressWarnings("unchecked")
    RunFolders theory(double relativeError, double omega) {
        Map<String, Object> m = steps.get(steps.size() - 1);
        m.put("relative_error", relativeError);
        m.put("omega", omega);
        m.put("omega_layerwise_sum", 2 + 2 * omega);
        m.put("omega_entire_model_bound", 2 * (1 + 1.5 * omega));
        for (Map<String, Object> s : (List<Map<String, Object>>) m.get("segments")) {
            s.put("relative_error", relativeError);
            s.put("omega", omega);
        }
        return this;
    }

    private static Map<String, Object> segment(String name, int elements, long bytes) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("elements", elements);
        s.put("uplink_bytes", bytes);
        return s;
    }

    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", "mlp");
        config.put("workers", workers);
        config.put("batch_per_worker", 16);
        config.put("optimizer", optimizer);
        config.put("learning_rate", 0.002);
        config.put("optimizer_on", "auto");
        config.put("seed", seed);
        config.put("compressor", compressor);
        config.put("memory", memory);
        config.put("granularity", granularity);
        config.put("tree_depth", 2);
        config.put("output", dir.toString());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("status", "completed");
        Object last = steps.get(steps.size() - 1).get("test_accuracy");
        summary.put("test_accuracy", last);
        summary.put("steps", steps.size());
        summary.put("samples_per_second", 320.0);
        summary.put("uplink_bytes", steps.stream().mapToLong(s -> (Long) s.get("uplink_bytes")).sum());
        summary.put("downlink_bytes", steps.stream().mapToLong(s -> (Long) s.get("downlink_bytes")).sum());
        summary.put("config", config);
        JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
        StringBuilder lines = new StringBuilder();
        for (Map<String, Object> s : steps) {
            lines.append(JSON.writeValueAsString(s)).append('\n');
        }
        Files.writeString(dir.resolve("metrics.jsonl"), lines, StandardCharsets.UTF_8);
        return dir;
    }
}
