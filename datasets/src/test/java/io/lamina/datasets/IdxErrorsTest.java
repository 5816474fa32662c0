package io.lamina.datasets;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gives a DatasetException that names the file and the problem. */
class IdxErrorsTest {
    @TempDir
    Path dir;

    private static String fails(Executable e) {
        return assertThrows(DatasetException.class, e).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "message should mention '" + part + "': " + message);
        }
    }

    @Test
    void missingFilesAreListedWithTheExpectedNamesAndFolder() throws IOException {
        TestIdx.writeDataset(dir, 10, 10, 2, 2, true);
        Files.delete(dir.resolve(IdxDataset.TRAIN_LABELS + ".gz"));
        Files.delete(dir.resolve(IdxDataset.TEST_IMAGES + ".gz"));
        String msg = fails(() -> IdxDataset.load(dir.toString()));
        assertMentions(msg, dir.toString(), "missing", "train-labels-idx1-ubyte[.gz]", "t10k-images-idx3-ubyte[.gz]",
                "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte");
        assertTrue(!msg.contains("missing IDX file(s) train-images"), msg);
    }

    @Test
    void missingFolderAndMissingFileAreNamed() {
        Path nowhere = dir.resolve("nowhere");
        assertMentions(fails(() -> IdxDataset.load(nowhere.toString())), nowhere.toString(), "folder not found");
        assertMentions(fails(() -> IdxReader.readImages(nowhere.toString())), nowhere.toString(), "file not found");
    }

    @Test
    void wrongMagicNumberSaysWhatWasFoundAndExpected() throws IOException {
        Path f = TestIdx.write(dir, "bad-magic", TestIdx.header(0x12345678, new int[] {1, 1, 1}, 1));
        assertMentions(fails(() -> IdxReader.readImages(f.toString())), f.toString(), "wrong magic number",
                "0x12345678", "0x00000803");
    }

    @Test
    void nonUnsignedByteTypeIsAWrongMagicNumber() throws IOException {
        Path f = TestIdx.write(dir, "floats", TestIdx.header(0x00000D03, new int[] {1, 1, 1}, 4));
        assertMentions(fails(() -> IdxReader.readImages(f.toString())), f.toString(), "wrong magic number",
                "0x00000D03", "0x00000803");
    }

    @Test
    void wrongNumberOfDimensionsIsReported() throws IOException {
        Path labelsAsImages = TestIdx.write(dir, "labels", TestIdx.labelBytes(TestIdx.labels(5, 10)));
        assertMentions(fails(() -> IdxReader.readImages(labelsAsImages.toString())), labelsAsImages.toString(),
                "wrong number of dimensions 1", "expected 3", "looks like a label file");
        Path imagesAsLabels = TestIdx.write(dir, "images", TestIdx.imageBytes(TestIdx.images(2, 2, 2, 0)));
        assertMentions(fails(() -> IdxReader.readLabels(imagesAsLabels.toString())), imagesAsLabels.toString(),
                "wrong number of dimensions 3", "expected 1");
        Path twoDims = TestIdx.write(dir, "two-dims", TestIdx.header(0x00000802, new int[] {2, 2}, 4));
        assertMentions(fails(() -> IdxReader.readImages(twoDims.toString())), twoDims.toString(),
                "wrong number of dimensions 2");
    }

    @Test
    void truncatedRawFileIsCaughtFromItsLength() throws IOException {
        byte[] full = TestIdx.imageBytes(TestIdx.images(10, 4, 4, 0));
        Path f = TestIdx.write(dir, "short", Arrays.copyOf(full, full.length - 5));
        assertMentions(fails(() -> IdxReader.readImages(f.toString())), f.toString(), "truncated",
                "10 images of 4x4", "160 bytes", "155 bytes");
    }

    @Test
    void truncatedContentInsideAValidGzipIsCaught() throws IOException {
        byte[] full = TestIdx.imageBytes(TestIdx.images(10, 4, 4, 0));
        Path f = TestIdx.write(dir, "short.gz", TestIdx.gzip(Arrays.copyOf(full, full.length - 5)));
        assertMentions(fails(() -> IdxReader.readImages(f.toString())), f.toString(), "truncated",
                "160 bytes", "only 155 bytes");
    }

    @Test
    void truncatedLabelFileAndTruncatedHeaderAreCaught() throws IOException {
        byte[] full = TestIdx.labelBytes(TestIdx.labels(10, 10));
        Path f = TestIdx.write(dir, "labels-short", Arrays.copyOf(full, full.length - 1));
        assertMentions(fails(() -> IdxReader.readLabels(f.toString())), f.toString(), "truncated", "10 labels");
        Path header = TestIdx.write(dir, "header-only", Arrays.copyOf(full, 6));
        assertMentions(fails(() -> IdxReader.readLabels(header.toString())), header.toString(), "truncated",
                "header");
        Path empty = TestIdx.write(dir, "empty", new byte[0]);
        assertMentions(fails(() -> IdxReader.readLabels(empty.toString())), empty.toString(), "truncated");
    }

    @Test
    void hugeHeaderCountsFailWithoutAllocating() throws IOException {
        // 2^31-1 images of 28x28 would need ~1.7 TB: must be refused before any allocation
        Path overflow = TestIdx.write(dir, "overflow", TestIdx.header(IdxReader.IMAGES_MAGIC,
                new int[] {Integer.MAX_VALUE, 28, 28}, 10));
        assertMentions(fails(() -> IdxReader.readImages(overflow.toString())), overflow.toString(),
                "implausible header");
        // fits in an array, but not in this 26-byte file
        Path lying = TestIdx.write(dir, "lying", TestIdx.header(IdxReader.IMAGES_MAGIC,
                new int[] {1_000_000, 28, 28}, 10));
        assertMentions(fails(() -> IdxReader.readImages(lying.toString())), lying.toString(), "truncated",
                "1000000 images of 28x28");
        // the same lie inside gzip, where the stored length says little
        Path lyingGz = TestIdx.write(dir, "lying.gz", TestIdx.gzip(TestIdx.header(IdxReader.IMAGES_MAGIC,
                new int[] {2_000_000, 28, 28}, 10)));
        assertMentions(fails(() -> IdxReader.readImages(lyingGz.toString())), lyingGz.toString(), "implausible");
        Path lyingLabelsGz = TestIdx.write(dir, "labels.gz", TestIdx.gzip(TestIdx.header(IdxReader.LABELS_MAGIC,
                new int[] {Integer.MAX_VALUE}, 10)));
        assertMentions(fails(() -> IdxReader.readLabels(lyingLabelsGz.toString())), lyingLabelsGz.toString(),
                "implausible");
        Path negative = TestIdx.write(dir, "negative", TestIdx.header(IdxReader.LABELS_MAGIC, new int[] {-5}, 10));
        assertMentions(fails(() -> IdxReader.readLabels(negative.toString())), negative.toString(),
                "implausible", "4294967291");
        Path zeroRows = TestIdx.write(dir, "zero-rows", TestIdx.header(IdxReader.IMAGES_MAGIC, new int[] {3, 0, 5}, 0));
        assertMentions(fails(() -> IdxReader.readImages(zeroRows.toString())), zeroRows.toString(),
                "dimension 1 is 0");
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path imgs = dir.resolve("imgs");
        Path lbls = dir.resolve("lbls");
        IdxWriter.writeImages(imgs, TestIdx.images(5, 2, 2, 0), false);
        IdxWriter.writeLabels(lbls, TestIdx.labels(6, 10), false);
        assertMentions(fails(() -> IdxReader.readLabeled(imgs.toString(), lbls.toString(), 10)),
                imgs.toString(), lbls.toString(), "count mismatch", "5 images", "6 labels");
    }

    @Test
    void labelOutOfRangeNamesTheFileTheLabelAndTheExample() throws IOException {
        Path imgs = dir.resolve("imgs");
        Path lbls = dir.resolve("lbls");
        IdxWriter.writeImages(imgs, TestIdx.images(4, 2, 2, 0), false);
        IdxWriter.writeLabels(lbls, new IdxLabels(new byte[] {1, 2, 10, 3}), false);
        assertMentions(fails(() -> IdxReader.readLabeled(imgs.toString(), lbls.toString(), 10)),
                lbls.toString(), "label 10", "example 2", "out of range 0..9");
        IdxWriter.writeLabels(lbls, new IdxLabels(new byte[] {1, 2, 3, (byte) 255}), true);
        assertMentions(fails(() -> IdxReader.readLabeled(imgs.toString(), lbls.toString(), 10)),
                lbls.toString(), "label 255", "example 3");
    }

    @Test
    void corruptGzipIsReported() throws IOException {
        byte[] gz = TestIdx.gzip(TestIdx.imageBytes(TestIdx.images(50, 8, 8, 4)));
        byte[] garbled = gz.clone();
        for (int i = 12; i < 40; i++) {
            garbled[i] = (byte) ~garbled[i];
        }
        Path f = TestIdx.write(dir, "garbled.gz", garbled);
        assertMentions(fails(() -> IdxReader.readImages(f.toString())), f.toString(), "gzip");

        byte[] badCrc = gz.clone();
        badCrc[badCrc.length - 6] ^= 0x55; // inside the CRC32 of the trailer
        Path g = TestIdx.write(dir, "bad-crc.gz", badCrc);
        assertMentions(fails(() -> IdxReader.readImages(g.toString())), g.toString(), "corrupt", "gzip");

        Path h = TestIdx.write(dir, "cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertMentions(fails(() -> IdxReader.readImages(h.toString())), h.toString(), "gzip");
    }

    @Test
    void trainAndTestImageSizesMustMatch() throws IOException {
        TestIdx.writeDataset(dir, 10, 10, 4, 4, false);
        IdxWriter.writeImages(dir.resolve(IdxDataset.TEST_IMAGES), TestIdx.images(10, 4, 5, 0), false);
        assertMentions(fails(() -> IdxDataset.load(dir.toString())), "image size mismatch",
                dir.resolve(IdxDataset.TRAIN_IMAGES).toString(), dir.resolve(IdxDataset.TEST_IMAGES).toString(),
                "4x4", "4x5");
    }

    @Test
    void errorsInsideAFolderNameTheBadFile() throws IOException {
        TestIdx.writeDataset(dir, 10, 10, 4, 4, true);
        Path labels = dir.resolve(IdxDataset.TEST_LABELS + ".gz");
        IdxWriter.writeLabels(labels, TestIdx.labels(9, 10), true);
        assertMentions(fails(() -> IdxDataset.load(dir.toString())), labels.toString(), "count mismatch");
    }
}
