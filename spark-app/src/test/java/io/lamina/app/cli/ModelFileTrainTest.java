package io.lamina.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.app.model.Dl4jNet;
import io.lamina.app.model.ModelKind;
import io.lamina.app.model.ModelShape;
import io.lamina.app.model.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** {@code lamina train --model-file}: each form trains, and bad files and misfits fail with exit 2 before Spark. */
class ModelFileTrainTest {

    private static final ModelShape FASHION = new ModelShape(1, 28, 28, 10);

    @TempDir
    Path tmp;

    private CliRun train(Path model, String out, String... more) {
        String[] base = {"train", "--model-file", model.toString(), "--output",
            tmp.resolve(out).toString(), "--master", "local[2]", "--checksum-every", "1"};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.of(args);
    }

    private JsonNode summary(String out) throws Exception {
        return new ObjectMapper().readTree(tmp.resolve(out).resolve("summary.json").toFile());
    }

    @Test
    void trainsAConfigurationOfEitherKindAndResumesAZip() throws Exception {
        Dl4jNet mlp = Models.create(ModelKind.MLP, FASHION, new Adam(1e-3), 9);
        Path mlnJson = Files.writeString(tmp.resolve("mlp.json"), mlp.configJson());
        CliRun r = train(mlnJson, "mln", "--steps", "6", "--batch", "16");
        assertEquals(0, r.code(), r.err());
        JsonNode s = summary("mln");
        assertEquals("completed", s.get("status").asText());
        assertEquals(6, s.get("steps").asInt());
        assertEquals(0, s.get("checksum_mismatches").asInt(), "replicas identical to the master");
        assertTrue(s.get("model").asText().contains(mlnJson.toString()), s.get("model").asText());
        assertEquals(mlnJson.toString(), s.get("config").get("model_file").asText());
        assertTrue(s.get("config").get("model").isNull(), "the built-in model did not run");
        // 3 dense layers, 6 tensors, layer-wise
        assertEquals(6, s.get("compression_segments").asInt());

        // the run's model.zip: training resumes from its weights, updater state and iteration count
        Path zip = tmp.resolve("mln").resolve("model.zip");
        MultiLayerNetwork before = ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), true);
        assertEquals(6, before.getIterationCount());
        r = train(zip, "resumed", "--steps", "4", "--batch", "16");
        assertEquals(0, r.code(), r.err());
        MultiLayerNetwork after = ModelSerializer.restoreMultiLayerNetwork(
                tmp.resolve("resumed").resolve("model.zip").toFile(), true);
        assertEquals(10, after.getIterationCount(), "6 updates before, 4 now");
        assertTrue(summary("resumed").get("model").asText().contains("resumed at iteration 6"));

        Dl4jNet resnet = Models.create(ModelKind.RESNET, FASHION, new Adam(1e-3), 9);
        Path cgJson = Files.writeString(tmp.resolve("resnet.json"), resnet.configJson());
        r = train(cgJson, "cg", "--steps", "2", "--batch", "8");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, summary("cg").get("steps").asInt());
        assertEquals(resnet.tensorLayout().size(), summary("cg").get("compression_segments").asInt());
    }

    @Test
    void badModelFilesAndMisfitsFailBeforeSparkStarts() throws Exception {
        Path missing = tmp.resolve("missing.zip");
        assertBadInput(train(missing, "x"), missing.toString(), "does not exist");
        Path text = Files.writeString(tmp.resolve("notes.txt"), "a model, honestly");
        assertBadInput(train(text, "x"), text.toString(), "neither a DL4J configuration JSON", "nor a ModelSerializer zip");
        Path otherJson = Files.writeString(tmp.resolve("other.json"), "{\"layers\": 2}");
        assertBadInput(train(otherJson, "x"), otherJson.toString(), "not a DL4J configuration");
        Path emptyZip = tmp.resolve("empty.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(emptyZip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("coefficients.bin"));
            out.write(1);
        }
        assertBadInput(train(emptyZip, "x"), emptyZip.toString(), "without configuration.json");

        Path mlp = Files.writeString(tmp.resolve("mlp.json"),
                Models.create(ModelKind.MLP, FASHION, new Adam(1e-3), 9).configJson());
        assertBadInput(train(mlp, "x", "--model", "resnet"), "--model-file and --model resnet");
        assertBadInput(train(mlp, "x", "--lr", "0.1"), "--model-file and --lr 0.1", "change it there");

        Path small = Files.writeString(tmp.resolve("small.json"), new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(100).nOut(8).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(10)
                        .activation(Activation.SOFTMAX).build()).build().toJson());
        assertBadInput(train(small, "x"), small.toString(), "takes 100 input values", "28x28 images (784 values)");
        assertTrue(!Files.exists(tmp.resolve("x")), "nothing was written");
    }

    private static void assertBadInput(CliRun r, String... expected) {
        assertEquals(LaminaCli.EXIT_BAD_INPUT, r.code(), "exit code; stderr: " + r.err());
        for (String s : expected) {
            assertTrue(r.err().contains(s), "stderr should mention '" + s + "': " + r.err());
        }
    }
}
