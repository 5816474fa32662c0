package io.lamina.datasets.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.datasets.IdxDataset;
import io.lamina.datasets.IdxImages;
import io.lamina.datasets.IdxLabels;
import io.lamina.datasets.IdxReader;
import io.lamina.datasets.IdxWriter;
import io.lamina.datasets.TrainTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildEmbeddedSubsetTest {
    @TempDir
    Path dir;

    /** Image i is filled with the byte i % 251, so every selected image can be traced to its source. */
    private static void writeSource(Path folder, String images, String labels, int count) throws IOException {
        byte[] pixels = new byte[count * 4];
        byte[] y = new byte[count];
        for (int i = 0; i < count; i++) {
            java.util.Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) (i % 251));
            y[i] = (byte) ((i * 7) % 10);
        }
        IdxWriter.writeImages(folder.resolve(images + ".gz"), new IdxImages(count, 2, 2, pixels), true);
        IdxWriter.writeLabels(folder.resolve(labels), new IdxLabels(y), false);
    }

    @Test
    void buildsABalancedDeterministicSubsetOfSourceExamples() throws IOException {
        Path source = Files.createDirectory(dir.resolve("source"));
        writeSource(source, IdxDataset.TRAIN_IMAGES, IdxDataset.TRAIN_LABELS, 200);
        writeSource(source, IdxDataset.TEST_IMAGES, IdxDataset.TEST_LABELS, 60);
        Path out1 = dir.resolve("out1");
        Path out2 = dir.resolve("out2");
        BuildEmbeddedSubset.main(new String[] {source.toString(), out1.toString(), "5", "2", "42"});
        BuildEmbeddedSubset.main(new String[] {source.toString(), out2.toString(), "5", "2", "42"});

        for (String name : IdxDataset.FILE_NAMES) {
            assertArrayEquals(Files.readAllBytes(out1.resolve(name + ".gz")), Files.readAllBytes(out2.resolve(name + ".gz")),
                    name + " should be byte-identical across runs");
        }
        TrainTestData subset = IdxDataset.load(out1.toString());
        assertEquals(50, subset.train().numExamples());
        assertEquals(20, subset.test().numExamples());
        for (int c = 0; c < 10; c++) {
            assertEquals(5, subset.train().classCounts()[c]);
            assertEquals(2, subset.test().classCounts()[c]);
        }
        // each subset image is a source image of the same label, in increasing source order
        IdxImages images = IdxReader.readImages(out1.resolve(IdxDataset.TRAIN_IMAGES + ".gz").toString());
        IdxLabels labels = IdxReader.readLabels(out1.resolve(IdxDataset.TRAIN_LABELS + ".gz").toString());
        int previous = -1;
        for (int i = 0; i < images.count(); i++) {
            int src = images.pixels()[i * 4] & 0xFF; // source index (< 251 here)
            assertTrue(src > previous, "source order kept");
            previous = src;
            assertEquals((src * 7) % 10, labels.label(i));
        }
    }

    @Test
    void selectionDependsOnTheSeedAndIsSortedAndUnique() {
        byte[] y = new byte[500];
        for (int i = 0; i < y.length; i++) {
            y[i] = (byte) (i % 10);
        }
        IdxLabels labels = new IdxLabels(y);
        int[] a = BuildEmbeddedSubset.choose(labels, 10, 20, 1, 0);
        int[] b = BuildEmbeddedSubset.choose(labels, 10, 20, 2, 0);
        int[] testSplit = BuildEmbeddedSubset.choose(labels, 10, 20, 1, 1);
        assertEquals(200, a.length);
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i] > a[i - 1]);
        }
        assertTrue(!java.util.Arrays.equals(a, b));
        assertTrue(!java.util.Arrays.equals(a, testSplit));
        assertArrayEquals(a, BuildEmbeddedSubset.choose(labels, 10, 20, 1, 0));
    }
}
