package io.lamina.app.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads run folders ({@code summary.json} + {@code metrics.jsonl}, as {@code lamina train} writes
 * them) and experiment folders (one run folder per sub-folder, in {@code experiment.jsonl}'s order
 * when it is there). A folder that cannot be read is skipped with a one-line reason, never an
 * exception: a report over many runs should not die of one crashed run.
 */
public final class RunReader {

    static final String SUMMARY = "summary.json";
    static final String METRICS = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The runs that could be read, and a reason for every folder that could not. */
    public record Loaded(List<RunData> runs, List<String> skipped) {
    }

    private RunReader() {
    }

    public static Loaded read(List<Path> folders) {
        List<RunData> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Path folder : folders) {
            Path f = folder.toAbsolutePath().normalize();
            if (!Files.isDirectory(f)) {
                skipped.add(folder + ": no such folder");
            } else if (isRunFolder(f)) {
                readInto(f, seen, runs, skipped);
            } else {
                List<Path> members = experimentRuns(f);
                if (members.isEmpty()) {
                    skipped.add(folder + ": neither a run folder (" + SUMMARY + ", " + METRICS
                            + ") nor an experiment folder (sub-folders holding runs)");
                }
                members.forEach(m -> readInto(m, seen, runs, skipped));
            }
        }
        return new Loaded(runs, skipped);
    }

    private static void readInto(Path dir, Set<Path> seen, List<RunData> runs, List<String> skipped) {
        if (!seen.add(dir)) {
            return; // the same run given twice (as itself and inside its experiment)
        }
        try {
            runs.add(readRun(dir));
        } catch (UnreadableRunException e) {
            skipped.add(dir + ": " + e.getMessage());
        }
    }

    static boolean isRunFolder(Path dir) {
        return Files.exists(dir.resolve(SUMMARY)) || Files.exists(dir.resolve(METRICS));
    }

    /** An experiment's run folders: experiment.jsonl's order first, then any other run sub-folder by name. */
    private static List<Path> experimentRuns(Path dir) {
        Set<Path> ordered = new LinkedHashSet<>();
        Path jsonl = dir.resolve("experiment.jsonl");
        if (Files.isRegularFile(jsonl)) {
            try {
                for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                    JsonNode n = line.isBlank() ? null : JSON.readTree(line);
                    // the run's folder by name inside this folder, so a moved experiment still reads
                    for (String key : List.of("output", "run")) {
                        String name = n == null || !n.hasNonNull(key) ? null : Path.of(n.get(key).asText()).getFileName()
                                .toString();
                        if (name != null && isRunFolder(dir.resolve(name))) {
                            ordered.add(dir.resolve(name).normalize());
                            break;
                        }
                    }
                }
            } catch (IOException e) {
                // a damaged index: fall back to the folder listing below
            }
        }
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(Files::isDirectory).filter(RunReader::isRunFolder).sorted()
                    .forEach(p -> ordered.add(p.normalize()));
        } catch (IOException e) {
            return List.copyOf(ordered);
        }
        return List.copyOf(ordered);
    }

    /** Reads one run folder; throws with a reason naming the file (and line) when it cannot. */
    static RunData readRun(Path dir) throws UnreadableRunException {
        Map<String, Object> summary = readSummary(dir.resolve(SUMMARY));
        if (!(summary.get("config") instanceof Map<?, ?> raw)) {
            throw new UnreadableRunException(SUMMARY + " has no config object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) raw;
        List<RunData.Step> steps = readSteps(dir.resolve(METRICS));
        if (steps.isEmpty()) {
            throw new UnreadableRunException(METRICS + " holds no step");
        }
        return new RunData(dir, config, summary, steps);
    }

    private static Map<String, Object> readSummary(Path file) throws UnreadableRunException {
        if (!Files.isRegularFile(file)) {
            throw new UnreadableRunException("missing " + SUMMARY + " (the run did not finish?)");
        }
        try {
            return JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new UnreadableRunException("corrupt " + SUMMARY + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UnreadableRunException("cannot read " + SUMMARY + ": " + e.getMessage());
        }
    }

    private static List<RunData.Step> readSteps(Path file) throws UnreadableRunException {
        if (!Files.isRegularFile(file)) {
            throw new UnreadableRunException("missing " + METRICS);
        }
        List<RunData.Step> steps = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (!line.isBlank()) {
                    steps.add(parseStep(line, lineNo));
                }
            }
        } catch (IOException e) {
            throw new UnreadableRunException("cannot read " + METRICS + ": " + e.getMessage());
        }
        return steps;
    }

    private static RunData.Step parseStep(String line, int lineNo) throws UnreadableRunException {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new UnreadableRunException("corrupt " + METRICS + " line " + lineNo + ": " + e.getOriginalMessage());
        }
        for (String key : List.of("step", "wall_ms", "uplink_bytes", "downlink_bytes")) {
            if (n == null || !n.path(key).isNumber()) {
                throw new UnreadableRunException(METRICS + " line " + lineNo + " lacks the number '" + key + "'");
            }
        }
        Double loss = optional(n, "loss");
        if (loss == null) {
            throw new UnreadableRunException(METRICS + " line " + lineNo + " lacks the number 'loss'");
        }
        List<RunData.Segment> segments = new ArrayList<>();
        for (JsonNode s : n.path("segments")) {
            segments.add(new RunData.Segment(s.path("name").asText("?"), s.path("elements").asLong(),
                    s.path("uplink_bytes").asLong(), optional(s, "relative_error"), optional(s, "omega")));
        }
        return new RunData.Step(n.get("step").asLong(), n.get("wall_ms").asDouble(),
                n.path("compute_max_ms").asDouble(Double.NaN), n.path("encode_mean_ms").asDouble(0),
                loss, n.get("uplink_bytes").asLong(), n.get("downlink_bytes").asLong(),
                optional(n, "test_accuracy"), optional(n, "test_loss"), optional(n, "relative_error"),
                optional(n, "omega"), optional(n, "omega_layerwise_sum"), optional(n, "omega_entire_model_bound"),
                List.copyOf(segments));
    }

    /** A number, or Jackson's spelling of a non-finite one ("NaN", "Infinity": a diverged step's loss); else null. */
    private static Double optional(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v != null && v.isTextual() && v.asText().matches("NaN|-?Infinity")) {
            return Double.valueOf(v.asText());
        }
        return v != null && v.isNumber() ? v.asDouble() : null;
    }

    /** Why a run folder cannot be used; the message is shown as is. */
    static final class UnreadableRunException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableRunException(String message) {
            super(message);
        }
    }
}
