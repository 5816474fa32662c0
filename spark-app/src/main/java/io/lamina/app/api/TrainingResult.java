package io.lamina.app.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.app.config.TrainConfig;
import io.lamina.app.model.ModelKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * What a finished {@link Trainer#fit()} returns: the key figures of {@code summary.json}, the
 * whole summary, the output folder and the trained DL4J model (loaded from {@code model.zip} with
 * {@link ModelSerializer}, updater state included, so {@code fit} can continue on it in plain DL4J).
 */
public final class TrainingResult {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> summary;
    private final Path outputDir;
    private final TrainConfig config;
    private final Model model;

    TrainingResult(Map<String, Object> summary, Path outputDir, TrainConfig config) {
        this.summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
        this.outputDir = outputDir;
        this.config = config;
        this.model = loadModel(outputDir.resolve("model.zip"), config.model());
    }

    private static Model loadModel(Path zip, ModelKind kind) {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("the run finished but wrote no model: " + zip + " is missing");
        }
        try {
            return kind == ModelKind.RESNET
                    ? ModelSerializer.restoreComputationGraph(zip.toFile(), true)
                    : ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the trained model from " + zip, e);
        }
    }

    /**
     * The transform the model's inputs need ({@code normalizer.json} beside {@code model.zip}):
     * apply it to raw features before {@code output}, as training and evaluation did.
     */
    public io.lamina.app.data.Normalizer normalizer() {
        Path file = outputDir.resolve(io.lamina.app.data.Normalizer.FILE_NAME);
        try {
            return io.lamina.app.data.Normalizer.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** {@code completed} (a diverged run throws instead of returning). */
    public String status() {
        return String.valueOf(summary.get("status"));
    }

    /** Accuracy on the test set after the last step, in [0, 1]. */
    public double testAccuracy() {
        return number("test_accuracy").doubleValue();
    }

    /** Mean cross-entropy on the test set after the last step. */
    public double testLoss() {
        return number("test_loss").doubleValue();
    }

    /** Training steps taken (each step = one minibatch per worker). */
    public long steps() {
        return number("steps").longValue();
    }

    /** Training examples per second over the training steps (evaluation excluded). */
    public double samplesPerSecond() {
        return number("samples_per_second").doubleValue();
    }

    /** Measured bytes the workers sent (sum over steps and workers, as Lamina's bytes shipped to Spark). */
    public long uplinkBytes() {
        return number("uplink_bytes").longValue();
    }

    /** Measured bytes of the aggregates sent back, times the workers that received them. */
    public long downlinkBytes() {
        return number("downlink_bytes").longValue();
    }

    /** Wall time of the whole job, data set-up and evaluation included. */
    public double wallSeconds() {
        return number("wall_seconds").doubleValue();
    }

    /** Number of trainable parameters of the model. */
    public long parameters() {
        return model.numParams();
    }

    /** The whole {@code summary.json} (including {@code config}), read-only. */
    public Map<String, Object> summary() {
        return summary;
    }

    /** The run's output folder ({@code metrics.jsonl}, {@code summary.json}, {@code model.zip}). */
    public Path outputDir() {
        return outputDir;
    }

    /** The per-step metrics file (one JSON object per line). */
    public Path metricsFile() {
        return outputDir.resolve("metrics.jsonl");
    }

    /**
     * The per-step metrics ({@code metrics.jsonl}): one map per step with {@code step}, {@code loss},
     * {@code wall_ms}, {@code uplink_bytes}, ... and, on evaluation steps, {@code test_accuracy}.
     */
    public List<Map<String, Object>> metrics() {
        List<Map<String, Object>> steps = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(metricsFile())) {
                if (!line.isBlank()) {
                    steps.add(JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() { }));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + metricsFile(), e);
        }
        return steps;
    }

    /**
     * The run step by step, typed ({@link StepRow}: loss, bytes of the step and so far, test
     * accuracy where evaluated): the rows a notebook turns into a DataFrame.
     */
    public List<StepRow> history() {
        return List.copyOf(StepRow.of(metrics()));
    }

    /**
     * The steps after which the test set was evaluated ({@code evalEvery} and the last step), with
     * the bytes sent until then: accuracy against communication.
     */
    public List<StepRow> evaluations() {
        return history().stream().filter(StepRow::evaluated).toList();
    }

    /** The configuration that ran. */
    public TrainConfig config() {
        return config;
    }

    /** The trained model: a {@link MultiLayerNetwork} (mlp, lenet) or a {@link ComputationGraph} (resnet). */
    public Model model() {
        return model;
    }

    /** The trained model as a {@link MultiLayerNetwork}; fails for resnet (a ComputationGraph). */
    public MultiLayerNetwork multiLayerNetwork() {
        if (!(model instanceof MultiLayerNetwork m)) {
            throw new IllegalStateException("model " + config.model().cliName()
                    + " is a ComputationGraph; use computationGraph()");
        }
        return m;
    }

    /** The trained model as a {@link ComputationGraph}; fails for mlp and lenet (MultiLayerNetworks). */
    public ComputationGraph computationGraph() {
        if (!(model instanceof ComputationGraph g)) {
            throw new IllegalStateException("model " + config.model().cliName()
                    + " is a MultiLayerNetwork; use multiLayerNetwork()");
        }
        return g;
    }

    private Number number(String key) {
        Object v = summary.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalStateException("summary.json has no number '" + key + "' (got " + v + ")");
        }
        return n;
    }

    @Override
    public String toString() {
        return String.format("TrainingResult[%s, test accuracy %.4f, test loss %.4f, %d steps, %.0f samples/s, "
                + "uplink %,d B, downlink %,d B, %s]", config.model().cliName(), testAccuracy(), testLoss(), steps(),
                samplesPerSecond(), uplinkBytes(), downlinkBytes(), outputDir);
    }
}
