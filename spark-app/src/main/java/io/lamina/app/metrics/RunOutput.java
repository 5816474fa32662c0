package io.lamina.app.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lamina.app.engine.driver.StepListener;
import io.lamina.app.engine.driver.StepRecord;
import io.lamina.app.model.Dl4jNet;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The run's output folder: {@code metrics.jsonl} (one JSON object per step, flushed as written),
 * {@code summary.json} and {@code model.zip}. The model and the summary are written to a
 * temporary file and moved into place, so a crash never leaves a half-written checkpoint.
 */
public final class RunOutput implements StepListener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final BufferedWriter metrics;

    public RunOutput(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.metrics = Files.newBufferedWriter(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8);
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void onStep(StepRecord record) {
        try {
            metrics.write(JSON.writeValueAsString(record.toMap()));
            metrics.newLine();
            metrics.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("metrics.jsonl"), e);
        }
    }

    /** Saves the model atomically as {@code model.zip} (DL4J ModelSerializer format, with updater state). */
    public Path saveModel(Dl4jNet net) throws IOException {
        Path tmp = dir.resolve("model.zip.tmp");
        net.save(tmp.toFile());
        Path target = dir.resolve("model.zip");
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    public Path writeSummary(Map<String, Object> summary) throws IOException {
        Path tmp = dir.resolve("summary.json.tmp");
        JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), summary);
        Path target = dir.resolve("summary.json");
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    @Override
    public void close() throws IOException {
        metrics.close();
    }
}
