package io.lamina.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxRoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void writtenImagesAndLabelsReadBackUnchanged(boolean gzip) throws IOException {
        IdxImages images = TestIdx.images(7, 3, 5, 9);
        IdxLabels labels = TestIdx.labels(7, 10);
        Path imagesFile = dir.resolve("imgs");
        Path labelsFile = dir.resolve("lbls");
        IdxWriter.writeImages(imagesFile, images, gzip);
        IdxWriter.writeLabels(labelsFile, labels, gzip);

        byte[] stored = Files.readAllBytes(imagesFile);
        assertEquals(gzip, (stored[0] & 0xFF) == 0x1f && (stored[1] & 0xFF) == 0x8b);

        IdxImages back = IdxReader.readImages(imagesFile.toString());
        assertEquals(7, back.count());
        assertEquals(3, back.rows());
        assertEquals(5, back.cols());
        assertArrayEquals(images.pixels(), back.pixels());
        assertArrayEquals(labels.bytes(), IdxReader.readLabels(labelsFile.toString()).bytes());
    }

    @Test
    void gzipIsDetectedFromContentNotName() throws IOException {
        IdxImages images = TestIdx.images(4, 2, 2, 3);
        Path gzNamedPlain = TestIdx.write(dir, "plain.gz", TestIdx.imageBytes(images));
        Path plainNamedGz = TestIdx.write(dir, "compressed.idx", TestIdx.gzip(TestIdx.imageBytes(images)));
        assertArrayEquals(images.pixels(), IdxReader.readImages(gzNamedPlain.toString()).pixels());
        assertArrayEquals(images.pixels(), IdxReader.readImages(plainNamedGz.toString()).pixels());
    }

    @Test
    void labeledDataScalesPixelsByOneOver255AndKeepsShape() throws IOException {
        byte[] pixels = {0, (byte) 255, (byte) 128, 1, 2, 3, 4, 5};
        Path imgs = dir.resolve("i");
        Path lbls = dir.resolve("l");
        IdxWriter.writeImages(imgs, new IdxImages(2, 2, 2, pixels), true);
        IdxWriter.writeLabels(lbls, new IdxLabels(new byte[] {9, 0}), false);

        LabeledData data = IdxReader.readLabeled(imgs.toString(), lbls.toString(), 10);
        assertEquals(2, data.numExamples());
        assertEquals(4, data.featureSize());
        assertEquals(new ImageShape(1, 2, 2), data.shape());
        assertEquals(0f, data.features()[0]);
        assertEquals(1f, data.features()[1]);
        assertEquals(128 / 255f, data.features()[2]);
        assertEquals(5 / 255f, data.features()[7]);
        assertArrayEquals(new int[] {9, 0}, data.labels());
    }

    @Test
    void writerOutputIsDeterministic() throws IOException {
        IdxImages images = TestIdx.images(20, 4, 4, 5);
        Path a = dir.resolve("a.gz");
        Path b = dir.resolve("b.gz");
        IdxWriter.writeImages(a, images, true);
        IdxWriter.writeImages(b, images, true);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertTrue(Files.size(a) > 10);
    }

    @Test
    void folderLoadAcceptsAMixOfRawAndGzippedFiles() throws IOException {
        TestIdx.writeDataset(dir, 30, 12, 4, 3, false);
        Path trainImages = dir.resolve(IdxDataset.TRAIN_IMAGES);
        Files.write(dir.resolve(IdxDataset.TRAIN_IMAGES + ".gz"), TestIdx.gzip(Files.readAllBytes(trainImages)));
        Files.delete(trainImages);

        TrainTestData data = IdxDataset.load(dir.toString());
        assertEquals(30, data.train().numExamples());
        assertEquals(12, data.test().numExamples());
        assertEquals(new ImageShape(1, 4, 3), data.train().shape());
        assertEquals(IdxDataset.NUM_CLASSES, data.train().numClasses());
        LabeledData expected = IdxReader.toLabeledData(TestIdx.images(30, 4, 3, 1), "x",
                TestIdx.labels(30, 10), "y", 10);
        assertArrayEquals(expected.features(), data.train().features());
        assertArrayEquals(expected.labels(), data.train().labels());
    }
}
