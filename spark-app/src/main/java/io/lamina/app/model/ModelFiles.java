package io.lamina.app.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Reads {@code --model-file}: a {@code MultiLayerConfiguration} or {@code ComputationGraphConfiguration}
 * JSON (which one is told by its keys: {@code confs} or {@code vertices}), or a DL4J
 * {@code ModelSerializer} zip (its {@code configuration.json}, and when present its weights and
 * updater state, from which training resumes). Every failure is a {@link ModelFileException}
 * naming the file.
 */
public final class ModelFiles {

    /** ModelSerializer's entry names. */
    static final String CONFIGURATION = "configuration.json";
    static final String COEFFICIENTS = "coefficients.bin";

    private ModelFiles() {
    }

    /** The model in {@code file}, as a source of networks for a run. */
    public static ModelSource load(Path file) {
        if (!Files.exists(file)) {
            throw new ModelFileException("model file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ModelFileException("model file " + file + " is not a readable file");
        }
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            throw new ModelFileException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        if (n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return fromZip(file);
        }
        return fromJson(file);
    }

    private static ModelSource fromJson(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) { // also malformed UTF-8: a binary file
            throw new ModelFileException("model file " + file + " is neither a DL4J configuration JSON nor a "
                    + "ModelSerializer zip (it is not text: " + e.getMessage() + ")", e);
        }
        if (!text.stripLeading().startsWith("{")) {
            throw new ModelFileException("model file " + file + " is neither a DL4J configuration JSON (a JSON "
                    + "object) nor a ModelSerializer zip");
        }
        Model net = networkFromJson(file, text);
        return ModelSource.of(net, "configuration " + file);
    }

    private static ModelSource fromZip(Path file) {
        String json;
        boolean hasWeights;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry conf = zip.getEntry(CONFIGURATION);
            if (conf == null) {
                List<String> names = new ArrayList<>();
                zip.stream().limit(10).forEach(e -> names.add(e.getName()));
                throw new ModelFileException("model file " + file + " is a zip without " + CONFIGURATION
                        + ", so not a DL4J ModelSerializer file (its entries: " + String.join(", ", names) + ")");
            }
            try (InputStream in = zip.getInputStream(conf)) {
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            hasWeights = zip.getEntry(COEFFICIENTS) != null;
        } catch (IOException e) {
            throw new ModelFileException("model file " + file + " is not a readable zip: " + e.getMessage(), e);
        }
        Model fresh = networkFromJson(file, json); // checks the configuration and says which kind it is
        if (!hasWeights) {
            return ModelSource.of(fresh, "configuration in " + file + " (no weights in the zip: initialised)");
        }
        Model restored;
        try {
            restored = fresh instanceof ComputationGraph
                    ? ModelSerializer.restoreComputationGraph(file.toFile(), true)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
        } catch (IOException | RuntimeException e) {
            throw new ModelFileException("model file " + file + ": cannot restore its network: " + e, e);
        }
        Dl4jNet net = new Dl4jNet(restored);
        return ModelSource.of(restored, "network " + file + " (resumed at iteration " + net.iteration()
                + ", epoch " + net.epoch() + ")");
    }

    /** An initialised network from a configuration JSON of either kind. */
    private static Model networkFromJson(Path file, String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new ModelFileException("model file " + file + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFileException("model file " + file + " holds JSON that is not an object, so not a DL4J "
                    + "configuration");
        }
        try {
            if (root.has("confs")) {
                MultiLayerNetwork mln = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
                mln.init();
                return mln;
            }
            if (root.has("vertices")) {
                ComputationGraph cg = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
                cg.init();
                return cg;
            }
        } catch (RuntimeException e) {
            throw new ModelFileException("model file " + file + " is not a valid DL4J configuration: " + e, e);
        }
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext() && keys.size() < 10; ) {
            keys.add(it.next());
        }
        throw new ModelFileException("model file " + file + " is JSON but not a DL4J configuration: expected a "
                + "MultiLayerConfiguration (key 'confs') or a ComputationGraphConfiguration (key 'vertices'), found "
                + "keys " + keys);
    }
}
