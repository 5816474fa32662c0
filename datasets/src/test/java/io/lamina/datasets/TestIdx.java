package io.lamina.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Generates small IDX content for tests. */
final class TestIdx {
    private TestIdx() {
    }

    /** {@code count} images whose pixel values follow from (seed, position). */
    static IdxImages images(int count, int rows, int cols, int seed) {
        byte[] pixels = new byte[count * rows * cols];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 31 + seed * 7 + (i / (rows * cols)));
        }
        return new IdxImages(count, rows, cols, pixels);
    }

    /** Labels {@code i % numClasses}. */
    static IdxLabels labels(int count, int numClasses) {
        byte[] b = new byte[count];
        for (int i = 0; i < count; i++) {
            b[i] = (byte) (i % numClasses);
        }
        return new IdxLabels(b);
    }

    static byte[] imageBytes(IdxImages images) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IdxWriter.writeImages(out, images);
        return out.toByteArray();
    }

    static byte[] labelBytes(IdxLabels labels) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IdxWriter.writeLabels(out, labels);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    /** A header with the given magic and dimension sizes, followed by {@code dataBytes} zero bytes. */
    static byte[] header(int magic, int[] dims, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + dataBytes);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    static Path write(Path dir, String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    /** Writes a complete, valid four-file data set (raw or gzipped, named with .gz if gzipped). */
    static void writeDataset(Path dir, int trainCount, int testCount, int rows, int cols, boolean gzip)
            throws IOException {
        String ext = gzip ? ".gz" : "";
        IdxWriter.writeImages(dir.resolve(IdxDataset.TRAIN_IMAGES + ext), images(trainCount, rows, cols, 1), gzip);
        IdxWriter.writeLabels(dir.resolve(IdxDataset.TRAIN_LABELS + ext), labels(trainCount, 10), gzip);
        IdxWriter.writeImages(dir.resolve(IdxDataset.TEST_IMAGES + ext), images(testCount, rows, cols, 2), gzip);
        IdxWriter.writeLabels(dir.resolve(IdxDataset.TEST_LABELS + ext), labels(testCount, 10), gzip);
    }
}
