package io.lamina.datasets;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format): a big-endian header, magic
 * {@code 0x00000803} for images (unsigned bytes, 3 dimensions: count, rows, cols) or
 * {@code 0x00000801} for labels (1 dimension: count), then the data.
 *
 * <p>Gzip is detected from the first two bytes (1f 8b), not from the file name. Every problem
 * raises a {@link DatasetException} naming the file. Header counts are checked before anything is
 * allocated, and data is buffered only as it actually arrives, so a lying header cannot cause an
 * {@code OutOfMemoryError}.
 */
public final class IdxReader {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    /** Largest array the JVM reliably allocates. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Deflate cannot expand data by more than about 1032:1; a header promising more is lying. */
    private static final long MAX_GZIP_RATIO = 1100;
    private static final int CHUNK = 1 << 20;

    private IdxReader() {
    }

    /** Reads an image file at a local path or Hadoop URI. */
    public static IdxImages readImages(String pathOrUri) {
        return readImages(Locations.file(pathOrUri));
    }

    /** Reads a label file at a local path or Hadoop URI. */
    public static IdxLabels readLabels(String pathOrUri) {
        return readLabels(Locations.file(pathOrUri));
    }

    /** Reads an image file (magic 0x00000803). */
    public static IdxImages readImages(DataFile file) {
        Content c = read(file, IMAGES_MAGIC);
        return new IdxImages(c.dims[0], c.dims[1], c.dims[2], c.data);
    }

    /** Reads a label file (magic 0x00000801). */
    public static IdxLabels readLabels(DataFile file) {
        return new IdxLabels(read(file, LABELS_MAGIC).data);
    }

    /** Reads an image file and its label file into one data set; see {@link #toLabeledData}. */
    public static LabeledData readLabeled(String imagesPathOrUri, String labelsPathOrUri, int numClasses) {
        return readLabeled(Locations.file(imagesPathOrUri), Locations.file(labelsPathOrUri), numClasses);
    }

    /** Reads an image file and its label file into one data set; see {@link #toLabeledData}. */
    public static LabeledData readLabeled(DataFile images, DataFile labels, int numClasses) {
        return toLabeledData(readImages(images), images.name(), readLabels(labels), labels.name(), numClasses);
    }

    /**
     * Combines images and labels: checks that the counts agree and every label is below
     * {@code numClasses}, and scales pixels to [0, 1] by dividing by 255. The names are used in
     * error messages only.
     */
    public static LabeledData toLabeledData(IdxImages images, String imagesName, IdxLabels labels,
                                            String labelsName, int numClasses) {
        if (numClasses < 1 || numClasses > 256) {
            throw new IllegalArgumentException("numClasses must be in 1..256, got " + numClasses);
        }
        if (images.count() != labels.count()) {
            throw new DatasetException("image/label count mismatch: " + imagesName + " holds "
                    + images.count() + " images but " + labelsName + " holds " + labels.count() + " labels");
        }
        int[] y = new int[labels.count()];
        for (int i = 0; i < y.length; i++) {
            int label = labels.label(i);
            if (label >= numClasses) {
                throw new DatasetException(labelsName + ": label " + label + " of example " + i
                        + " is out of range 0.." + (numClasses - 1));
            }
            y[i] = label;
        }
        byte[] pixels = images.pixels();
        float[] x = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            x[i] = SCALE[pixels[i] & 0xFF];
        }
        return new LabeledData(x, y, numClasses, new ImageShape(1, images.rows(), images.cols()));
    }

    /** v / 255 for every byte value, computed once: exact and faster than dividing per pixel. */
    private static final float[] SCALE = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            SCALE[v] = v / 255f;
        }
    }

    private record Content(int[] dims, byte[] data) {
    }

    private static Content read(DataFile file, int expectedMagic) {
        String name = file.name();
        try (InputStream stored = file.open()) {
            PushbackInputStream peek = new PushbackInputStream(new BufferedInputStream(stored, 1 << 16), 2);
            boolean gzipped = isGzip(peek);
            InputStream in = gzipped ? new GZIPInputStream(peek, 1 << 16) : peek;
            try {
                Content c = readContent(in, name, expectedMagic, gzipped, file.length());
                if (gzipped) {
                    drain(in); // reaches the gzip trailer, so a bad CRC or length is noticed
                }
                return c;
            } catch (ZipException | EOFException e) {
                if (!gzipped) {
                    throw e;
                }
                throw new DatasetException(name + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
            }
        } catch (IOException e) {
            throw new DatasetException(name + ": cannot read: " + e, e);
        }
    }

    private static boolean isGzip(PushbackInputStream in) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return false;
        }
        int b1 = in.read();
        if (b1 >= 0) {
            in.unread(b1);
        }
        in.unread(b0);
        return b0 == 0x1f && b1 == 0x8b;
    }

    private static Content readContent(InputStream in, String name, int expectedMagic, boolean gzipped,
                                       long storedLength) throws IOException {
        IdxHeader h = readHeader(in, name, expectedMagic, gzipped, storedLength);
        return new Content(h.dims(), readData(in, (int) h.dataBytes(), name, h.dims(), h.headerBytes()));
    }

    /**
     * The header of an IDX file: its dimensions, header length and whether it is gzipped. Checks
     * what the header alone can tell (magic, dimensions, and for a raw file that its length holds
     * the data), without reading the data.
     */
    public record IdxHeader(String name, int[] dims, long headerBytes, boolean gzipped) implements java.io.Serializable {
        /** Records (images or labels) in the file. */
        public int count() {
            return dims[0];
        }

        /** Bytes per record: rows x cols for images, 1 for labels. */
        public int recordBytes() {
            return dims.length == 3 ? dims[1] * dims[2] : 1;
        }

        public long dataBytes() {
            return (long) count() * recordBytes();
        }
    }

    /** Reads and checks the header of an image (magic 0x00000803) or label (0x00000801) file. */
    public static IdxHeader header(DataFile file, int expectedMagic) {
        String name = file.name();
        try (InputStream stored = file.open()) {
            PushbackInputStream peek = new PushbackInputStream(new BufferedInputStream(stored, 1 << 12), 2);
            boolean gzipped = isGzip(peek);
            try {
                InputStream in = gzipped ? new GZIPInputStream(peek, 1 << 12) : peek;
                return readHeader(in, name, expectedMagic, gzipped, file.length());
            } catch (ZipException | EOFException e) {
                if (!gzipped) {
                    throw e;
                }
                throw new DatasetException(name + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
            }
        } catch (IOException e) {
            throw new DatasetException(name + ": cannot read: " + e, e);
        }
    }

    /**
     * Records {@code first .. first + count - 1} of a file whose header is {@code h}: the raw
     * bytes, read from their offset (a gzipped file is decompressed up to there).
     */
    public static byte[] readRecords(DataFile file, IdxHeader h, int first, int count) {
        try (RecordCursor c = new RecordCursor(file, h)) {
            return c.read(first, count);
        }
    }

    /**
     * Reads record ranges of one file in ascending order through one stream, so a gzipped file is
     * decompressed once per reader, not once per range. Not thread-safe; close it when done.
     */
    public static final class RecordCursor implements java.io.Closeable {
        private final DataFile file;
        private final IdxHeader h;
        private InputStream in;
        private long position; // offset in the (decompressed) content

        public RecordCursor(DataFile file, IdxHeader h) {
            this.file = file;
            this.h = h;
        }

        /** Records {@code first .. first + count - 1}; a range before the last one read reopens the file. */
        public byte[] read(int first, int count) {
            if (first < 0 || count < 0 || (long) first + count > h.count()) {
                throw new IllegalArgumentException("records " + first + ".." + ((long) first + count) + " of " + h.count());
            }
            long offset = h.headerBytes() + (long) first * h.recordBytes();
            int length = Math.toIntExact((long) count * h.recordBytes());
            try {
                if (in == null || offset < position) {
                    close();
                    InputStream stored = file.open();
                    in = h.gzipped() ? new GZIPInputStream(new BufferedInputStream(stored, 1 << 16), 1 << 16) : stored;
                    position = 0;
                }
                byte[] data;
                try {
                    in.skipNBytes(offset - position);
                    data = in.readNBytes(length);
                } catch (EOFException | ZipException e) {
                    throw new DatasetException(h.name() + ": truncated or corrupt: cannot reach records " + first + ".."
                            + (first + count - 1) + " (" + e.getMessage() + ")", e);
                }
                position = offset + data.length;
                if (data.length != length) {
                    throw new DatasetException(h.name() + ": truncated: header promises " + h.count()
                            + " records but the file ends inside record " + (first + data.length / h.recordBytes()));
                }
                return data;
            } catch (IOException e) {
                throw new DatasetException(h.name() + ": cannot read: " + e, e);
            }
        }

        @Override
        public void close() {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException e) {
                    // nothing was written: nothing to lose
                }
                in = null;
            }
        }
    }

    private static IdxHeader readHeader(InputStream in, String name, int expectedMagic, boolean gzipped,
                                        long storedLength) throws IOException {
        String kind = expectedMagic == IMAGES_MAGIC ? "image" : "label";
        int expectedDims = expectedMagic & 0xFF;
        byte[] magic = readHeader(in, 4, name, "magic number");
        int found = ((magic[0] & 0xFF) << 24) | ((magic[1] & 0xFF) << 16) | ((magic[2] & 0xFF) << 8) | (magic[3] & 0xFF);
        if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08) {
            throw new DatasetException(String.format("%s: wrong magic number 0x%08X, expected 0x%08X for an IDX %s file"
                    + " (is this an IDX file?)", name, found, expectedMagic, kind));
        }
        int dimCount = magic[3] & 0xFF;
        if (dimCount != expectedDims) {
            String hint = dimCount == 1 ? "; this looks like a label file"
                    : dimCount == 3 ? "; this looks like an image file" : "";
            throw new DatasetException(String.format("%s: wrong number of dimensions %d (magic 0x%08X), expected %d"
                    + " (magic 0x%08X) for an IDX %s file%s", name, dimCount, found, expectedDims, expectedMagic, kind, hint));
        }
        byte[] header = readHeader(in, 4 * dimCount, name, "dimension sizes");
        int[] dims = new int[dimCount];
        long total = 1;
        for (int d = 0; d < dimCount; d++) {
            int i = 4 * d;
            dims[d] = ((header[i] & 0xFF) << 24) | ((header[i + 1] & 0xFF) << 16)
                    | ((header[i + 2] & 0xFF) << 8) | (header[i + 3] & 0xFF);
            if (dims[d] <= 0) {
                // unsigned values above 2^31 show up as negative: far beyond any plausible size
                throw new DatasetException(name + ": implausible header: dimension " + d + " is "
                        + Integer.toUnsignedString(dims[d]) + " (" + describeDims(dimCount) + "), must be >= 1");
            }
            total *= dims[d]; // at most 3 factors below 2^31: cannot overflow before the check below
            if (total > MAX_ARRAY) {
                throw new DatasetException(name + ": implausible header: " + describe(dims, d + 1)
                        + " promises more than " + MAX_ARRAY + " bytes of data");
            }
        }
        long headerBytes = 4 + 4L * dimCount;
        if (!gzipped && storedLength >= 0 && headerBytes + total > storedLength) {
            throw new DatasetException(name + ": truncated: header promises " + describe(dims, dimCount)
                    + " = " + total + " bytes of data but the file has only " + Math.max(0, storedLength - headerBytes)
                    + " bytes after the " + headerBytes + "-byte header");
        }
        if (gzipped && storedLength >= 0 && total > storedLength * MAX_GZIP_RATIO + CHUNK) {
            throw new DatasetException(name + ": implausible header: " + describe(dims, dimCount) + " = " + total
                    + " bytes cannot come out of a gzip file of " + storedLength + " bytes");
        }
        return new IdxHeader(name, dims, headerBytes, gzipped);
    }

    /** Reads exactly {@code total} bytes, growing the buffer only as data actually arrives. */
    private static byte[] readData(InputStream in, int total, String name, int[] dims, long headerBytes)
            throws IOException {
        byte[] buf = new byte[Math.min(total, CHUNK)];
        int filled = 0;
        while (filled < total) {
            if (filled == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(total, 2L * buf.length));
            }
            int n = in.read(buf, filled, buf.length - filled);
            if (n < 0) {
                throw new DatasetException(name + ": truncated: header promises " + describe(dims, dims.length)
                        + " = " + total + " bytes of data but only " + filled + " bytes follow the "
                        + headerBytes + "-byte header");
            }
            filled += n;
        }
        return buf;
    }

    private static byte[] readHeader(InputStream in, int n, String name, String what) throws IOException {
        byte[] b = new byte[n];
        int filled = 0;
        while (filled < n) {
            int r = in.read(b, filled, n - filled);
            if (r < 0) {
                throw new DatasetException(name + ": truncated: the file ends inside the IDX header ("
                        + what + "), after " + filled + " of " + n + " bytes");
            }
            filled += r;
        }
        return b;
    }

    private static void drain(InputStream in) throws IOException {
        byte[] skip = new byte[8192];
        while (in.read(skip) >= 0) {
            // discard: only the trailer check matters
        }
    }

    private static String describe(int[] dims, int known) {
        if (dims.length != 3) {
            return dims[0] + " labels";
        }
        if (known < 3) {
            return known == 1 ? dims[0] + " images" : dims[0] + " images of " + dims[1] + " rows";
        }
        return dims[0] + " images of " + dims[1] + "x" + dims[2];
    }

    private static String describeDims(int dimCount) {
        return dimCount == 3 ? "count, rows, cols" : "count";
    }
}
