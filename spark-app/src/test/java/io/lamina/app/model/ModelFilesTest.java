package io.lamina.app.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/** Reading --model-file in its three forms, refusing bad files by name, and checking a model against the data. */
class ModelFilesTest {

    private static final ModelShape FASHION = new ModelShape(1, 28, 28, 10);

    @TempDir
    Path tmp;

    private static Dl4jNet mlp() {
        return Models.create(ModelKind.MLP, FASHION, new Adam(1e-3), 5);
    }

    private static MultiLayerConfiguration dense(int nIn, int classes, boolean dropout, boolean batchNorm) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(nIn).nOut(16).activation(Activation.RELU)
                        .dropOut(dropout ? 0.5 : 0).build());
        if (batchNorm) {
            b.layer(new BatchNormalization.Builder().nOut(16).build());
        }
        return b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nIn(16).nOut(classes)
                .activation(Activation.SOFTMAX).build()).build();
    }

    @Test
    void readsBothConfigurationKindsAndAZipWithItsWeightsAndUpdaterState() throws IOException {
        Path mlnJson = Files.writeString(tmp.resolve("mlp.json"), mlp().configJson());
        Dl4jNet fromMln = ModelFiles.load(mlnJson).create(FASHION, () -> null, 0);
        assertFalse(fromMln.isGraph());
        assertEquals(mlp().numParams(), fromMln.numParams());
        assertArrayEquals(mlp().params(), fromMln.params(), "weights from the configuration's seed");

        Dl4jNet resnet = Models.create(ModelKind.RESNET, FASHION, new Adam(1e-3), 5);
        Path cgJson = Files.writeString(tmp.resolve("resnet.json"), resnet.configJson());
        Dl4jNet fromCg = ModelFiles.load(cgJson).create(FASHION, () -> null, 0);
        assertTrue(fromCg.isGraph());
        assertEquals(resnet.tensorLayout().size(), fromCg.tensorLayout().size());

        Dl4jNet trained = mlp();
        float[] labels = new float[20];
        labels[3] = 1;
        labels[17] = 1;
        float[] g = new float[trained.numParams()];
        for (int i = 0; i < 2; i++) { // Adam's moments and the iteration count move
            trained.computeGradient(new float[2 * 784], labels, 2);
            trained.copyGradient(g);
            trained.applyGradient(g, 2, 0);
        }
        Path zip = tmp.resolve("model.zip");
        trained.save(zip.toFile());
        ModelSource source = ModelFiles.load(zip);
        Dl4jNet restored = source.create(FASHION, () -> null, 0);
        assertArrayEquals(trained.params(), restored.params());
        assertArrayEquals(trained.updaterState(), restored.updaterState());
        float[] state = restored.updaterState();
        assertTrue(java.util.stream.IntStream.range(0, state.length).anyMatch(i -> state[i] != 0), "Adam's moments");
        assertEquals(2, restored.iteration());
        assertTrue(source.describe().contains("resumed at iteration 2"), source.describe());
    }

    @Test
    void refusesBadFilesNamingThem() throws IOException {
        Path missing = tmp.resolve("nope.json");
        assertMessage(missing, "does not exist");
        assertMessage(Files.write(tmp.resolve("binary.bin"), new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe}),
                "neither a DL4J configuration JSON nor a ModelSerializer zip");
        assertMessage(Files.writeString(tmp.resolve("text.txt"), "hello"), "neither a DL4J configuration JSON");
        assertMessage(Files.writeString(tmp.resolve("broken.json"), "{\"confs\": [1, 2"), "not valid JSON");
        assertMessage(Files.writeString(tmp.resolve("other.json"), "{\"name\": \"x\", \"layers\": 3}"),
                "JSON but not a DL4J configuration", "[name, layers]");
        assertMessage(Files.writeString(tmp.resolve("badconf.json"), "{\"confs\": \"nonsense\"}"),
                "not a valid DL4J configuration");
        Path zip = tmp.resolve("other.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("not a model".getBytes(StandardCharsets.UTF_8));
        }
        assertMessage(zip, "a zip without configuration.json", "readme.txt");
        assertMessage(tmp, "not a readable file");
    }

    private static void assertMessage(Path file, String... parts) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), e.getMessage());
        }
    }

    @Test
    void aModelThatDoesNotFitTheDataIsRefusedNamingBothSizes() {
        IllegalArgumentException in = assertThrows(IllegalArgumentException.class,
                () -> ModelCheck.checkAgainst(new Dl4jNet(net(dense(100, 10, false, false))), FASHION));
        assertTrue(in.getMessage().contains("takes 100 input values") && in.getMessage().contains("28x28 images (784"),
                in.getMessage());
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                () -> ModelCheck.checkAgainst(new Dl4jNet(net(dense(784, 5, false, false))), FASHION));
        assertTrue(out.getMessage().contains("5 outputs") && out.getMessage().contains("10 classes"), out.getMessage());
        ModelCheck.checkAgainst(new Dl4jNet(net(dense(784, 10, false, false))), FASHION); // fits

        MultiLayerConfiguration otherImage = Models.lenet(new ModelShape(1, 14, 56, 10), new Adam(1e-3), 1);
        IllegalArgumentException image = assertThrows(IllegalArgumentException.class,
                () -> ModelCheck.checkAgainst(new Dl4jNet(net(otherImage)), FASHION));
        assertTrue(image.getMessage().contains("1x14x56") && image.getMessage().contains("1x28x28"), image.getMessage());
        // a flat data set says nothing of the image's shape, only its size
        ModelCheck.checkAgainst(new Dl4jNet(net(otherImage)), new ModelShape(1, 1, 784, 10));

        MultiLayerConfiguration fourD = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).build())
                .layer(new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1)).build();
        IllegalArgumentException cnn = assertThrows(IllegalArgumentException.class,
                () -> ModelCheck.checkAgainst(new Dl4jNet(net(fourD)), FASHION));
        assertTrue(cnn.getMessage().contains("convolutionalFlat(28, 28, 1)"), cnn.getMessage());
    }

    @Test
    void dropoutAndBatchNormAreNamedAndTheOptimizerIsTheModelsOwn() {
        MultiLayerNetwork plain = net(dense(784, 10, false, false));
        assertEquals(List.of(), ModelCheck.equivalenceNotes(plain));
        assertEquals(List.of(), ModelCheck.equivalenceNotes(mlp().model()));
        MultiLayerNetwork both = net(dense(784, 10, true, true));
        List<String> notes = ModelCheck.equivalenceNotes(both);
        assertEquals(2, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("dropout") && notes.get(0).contains("(seed, step, partition)"), notes.get(0));
        assertTrue(notes.get(1).contains("batch normalisation"), notes.get(1));

        assertEquals("sgd", ModelCheck.optimizerTraits(plain).name());
        assertFalse(ModelCheck.optimizerTraits(plain).momentum());
        assertTrue(ModelCheck.optimizerTraits(plain).constantStep());
        assertTrue(ModelCheck.optimizerTraits(mlp().model()).momentum(), "adam");
        MultiLayerConfiguration decaying = dense(784, 10, false, false);
        decaying.getConfs().forEach(c -> ((org.deeplearning4j.nn.conf.layers.BaseLayer) c.getLayer())
                .setIUpdater(new Sgd(new ExponentialSchedule(ScheduleType.ITERATION, 0.1, 0.99))));
        assertFalse(ModelCheck.optimizerTraits(net(decaying)).constantStep());
    }

    private static MultiLayerNetwork net(MultiLayerConfiguration conf) {
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }
}
