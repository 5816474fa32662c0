package io.lamina.datasets;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes IDX image and label files, raw or gzipped, in the format {@link IdxReader} reads.
 * The gzip header written by the JDK has no time stamp, so the same content and JDK give the same
 * bytes.
 */
public final class IdxWriter {
    private IdxWriter() {
    }

    /** Writes an image file (magic 0x00000803) to {@code path}, gzipped (level 9) if asked. */
    public static void writeImages(Path path, IdxImages images, boolean gzip) throws IOException {
        try (OutputStream out = open(path, gzip)) {
            writeImages(out, images);
        }
    }

    /** Writes a label file (magic 0x00000801) to {@code path}, gzipped (level 9) if asked. */
    public static void writeLabels(Path path, IdxLabels labels, boolean gzip) throws IOException {
        try (OutputStream out = open(path, gzip)) {
            writeLabels(out, labels);
        }
    }

    /** Writes the uncompressed IDX image bytes to {@code out}; does not close it. */
    public static void writeImages(OutputStream out, IdxImages images) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(IdxReader.IMAGES_MAGIC);
        data.writeInt(images.count());
        data.writeInt(images.rows());
        data.writeInt(images.cols());
        data.write(images.pixels());
        data.flush();
    }

    /** Writes the uncompressed IDX label bytes to {@code out}; does not close it. */
    public static void writeLabels(OutputStream out, IdxLabels labels) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(IdxReader.LABELS_MAGIC);
        data.writeInt(labels.count());
        data.write(labels.bytes());
        data.flush();
    }

    private static OutputStream open(Path path, boolean gzip) throws IOException {
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        if (!gzip) {
            return file;
        }
        return new GZIPOutputStream(file, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        };
    }
}
