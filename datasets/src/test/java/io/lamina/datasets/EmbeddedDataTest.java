package io.lamina.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedDataTest {
    private static TrainTestData data;

    @BeforeAll
    static void load() {
        data = EmbeddedData.load();
    }

    @Test
    void subsetHasTheDocumentedSizesAndShape() {
        assertEquals(6000, data.train().numExamples());
        assertEquals(1000, data.test().numExamples());
        assertEquals(new ImageShape(1, 28, 28), data.train().shape());
        assertEquals(784, data.test().featureSize());
        assertEquals(10, data.train().numClasses());
        assertEquals(6000 * 784, data.train().features().length);
        assertEquals(EmbeddedData.CLASS_NAMES.size(), data.train().numClasses());
    }

    @Test
    void classesAreBalanced() {
        int[] train = new int[10];
        int[] test = new int[10];
        java.util.Arrays.fill(train, 600);
        java.util.Arrays.fill(test, 100);
        assertArrayEquals(train, data.train().classCounts());
        assertArrayEquals(test, data.test().classCounts());
    }

    @Test
    void pixelsAreScaledIntoZeroToOneAndUseTheRange() {
        for (LabeledData d : new LabeledData[] {data.train(), data.test()}) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            double sum = 0;
            for (float v : d.features()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            assertEquals(0f, min);
            assertEquals(1f, max);
            double mean = sum / d.features().length;
            assertTrue(mean > 0.2 && mean < 0.4, "Fashion-MNIST's mean pixel is about 0.29, got " + mean);
        }
    }

    @Test
    void classesAreInterleavedNotSorted() {
        // the subset keeps the source order, so the first 50 examples span several classes
        java.util.Set<Integer> first = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            first.add(data.train().label(i));
        }
        assertTrue(first.size() >= 8, first.toString());
    }

    /** The uncompressed content is pinned (and listed in datasets/README.md). */
    @Test
    void embeddedFilesHaveTheDocumentedContent() throws Exception {
        Map<String, String> expected = Map.of(
                "train-images-idx3-ubyte", "bc16a7204fadfd00d2e14e54c2a4e42ced35f9b32d31bfca8c9f0b76c3862c08",
                "train-labels-idx1-ubyte", "26f0ae2106286214996412a588cb001b24b3f8744d9eabc499dd49be0205643e",
                "t10k-images-idx3-ubyte", "907ed42bd7ea5bfad3a65670cb291b97e752a725fd71eda8458d0fe1f8310097",
                "t10k-labels-idx1-ubyte", "3a5ab4ef778fd43d145db27eaa358d1da206d67e185db21c49b785f69325197d");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            DataFile file = Locations.classpath(EmbeddedData.RESOURCE_FOLDER).file(e.getKey() + ".gz").orElseThrow();
            assertEquals(e.getValue(), uncompressedSha256(file), e.getKey());
        }
    }

    @Test
    void loadEmbeddedIsTheSameData() {
        TrainTestData again = IdxDataset.loadEmbedded();
        assertArrayEquals(data.test().features(), again.test().features());
        assertArrayEquals(data.train().labels(), again.train().labels());
    }

    private static String uncompressedSha256(DataFile file) throws IOException, java.security.NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new GZIPInputStream(file.open())) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
