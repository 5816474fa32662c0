package io.lamina.app.data;

import io.lamina.datasets.DataFile;
import io.lamina.datasets.DataFolder;
import io.lamina.datasets.DatasetException;
import io.lamina.datasets.FeatureStats;
import io.lamina.datasets.HadoopStorage;
import io.lamina.datasets.IdxDataset;
import io.lamina.datasets.IdxReader;
import io.lamina.datasets.IdxReader.IdxHeader;
import io.lamina.datasets.ImageShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A folder of the four IDX files ({@code --data}), read by the executors: the driver reads only
 * the four headers (counts, image size); each partition's task reads the byte ranges of its
 * records (a gzipped file is decompressed up to them). Records are grouped in chunks of about
 * 1 MiB of pixels, assigned to partitions by {@code ChunkPlan}. Pixels are scaled to [0, 1]
 * (/255) as always; no further normalisation unless asked.
 */
public final class IdxSource implements DataSource {

    private static final long CHUNK_BYTES = 1 << 20;

    private final String folder;
    private final int classes;
    private final Normalizer.Method method;

    /** @param classes every label must be below it (IDX data sets have 10) */
    public IdxSource(String folder, int classes, Normalizer.Method method) {
        this.folder = folder;
        this.classes = classes;
        this.method = method.or(Normalizer.Method.NONE);
    }

    /** The four files' headers, checked against one another. */
    private record Headers(List<String> uris, IdxHeader trainImages, IdxHeader trainLabels, IdxHeader testImages,
            IdxHeader testLabels) implements java.io.Serializable {
    }

    private Headers headers(Configuration conf) {
        DataFolder dir = HadoopStorage.folder(qualified(folder, conf), conf);
        List<DataFile> files = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String base : IdxDataset.FILE_NAMES) {
            Optional<DataFile> f = dir.file(base).or(() -> dir.file(base + ".gz"));
            if (f.isPresent()) {
                files.add(f.get());
            } else {
                missing.add(base + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw new DatasetException(dir.name() + ": missing IDX file(s) " + String.join(", ", missing)
                    + "; expected the four files " + String.join(", ", IdxDataset.FILE_NAMES)
                    + " (each with or without .gz) in " + dir.name());
        }
        IdxHeader[] h = new IdxHeader[4];
        for (int i = 0; i < 4; i++) {
            h[i] = IdxReader.header(files.get(i), i % 2 == 0 ? IdxReader.IMAGES_MAGIC : IdxReader.LABELS_MAGIC);
        }
        for (int i = 0; i < 4; i += 2) {
            if (h[i].count() != h[i + 1].count()) {
                throw new DatasetException("image/label count mismatch: " + h[i].name() + " holds " + h[i].count()
                        + " images but " + h[i + 1].name() + " holds " + h[i + 1].count() + " labels");
            }
        }
        if (h[0].dims()[1] != h[2].dims()[1] || h[0].dims()[2] != h[2].dims()[2]) {
            throw new DatasetException("image size mismatch: " + h[0].name() + " holds " + h[0].dims()[1] + "x"
                    + h[0].dims()[2] + " images but " + h[2].name() + " holds " + h[2].dims()[1] + "x" + h[2].dims()[2]
                    + " images");
        }
        return new Headers(new ArrayList<>(files.stream().map(DataFile::name).toList()), h[0], h[1], h[2], h[3]);
    }

    private static String qualified(String location, Configuration conf) {
        try {
            Path p = new Path(location);
            return p.getFileSystem(conf).makeQualified(p).toString();
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new DatasetException(location + ": cannot open its file system: " + e.getMessage(), e);
        }
    }

    @Override
    public long check(Configuration conf) {
        return headers(conf).trainImages().count();
    }

    @Override
    public TrainingData open(JavaSparkContext sc) {
        Headers h = headers(sc.hadoopConfiguration());
        int perChunk = (int) Math.max(1, CHUNK_BYTES / h.trainImages().recordBytes());
        long[] trainCounts = chunkCounts(h.trainImages().count(), perChunk);
        long[] testCounts = chunkCounts(h.testImages().count(), perChunk);
        ImageShape shape = new ImageShape(1, h.trainImages().dims()[1], h.trainImages().dims()[2]);
        HadoopConf conf = HadoopConf.broadcast(sc);
        try {
            IdxRecords reader = new IdxRecords(h, trainCounts.length, perChunk, classes, conf);
            Normalizer normalizer = Normalizer.none();
            if (method != Normalizer.Method.NONE) {
                int f = shape.size();
                ScanSummary s = ChunkScan.run(sc, trainCounts.length, chunk -> {
                    Examples ex = new Examples(f, trainCounts[chunk]);
                    reader.read(chunk, 0, trainCounts[chunk], 0, ex);
                    reader.done();
                    FeatureStats.Accumulator acc = new FeatureStats.Accumulator();
                    float[] row = new float[f];
                    for (int i = 0; i < ex.size(); i++) {
                        System.arraycopy(ex.features(), i * f, row, 0, f);
                        acc.addDense(row, f);
                    }
                    return ScanSummary.ofChunk(chunk, ex.size(), acc.finish(), -1, Integer.MAX_VALUE, -1);
                }, "feature statistics of " + folder);
                normalizer = Normalizer.of(method, s.stats, f);
            }
            DataInfo info = new DataInfo(shape, classes, h.trainImages().count(), h.testImages().count());
            return new ChunkedData(info, normalizer, trainCounts, testCounts, reader, conf::destroy);
        } catch (RuntimeException e) {
            conf.destroy();
            throw e;
        }
    }

    private static long[] chunkCounts(int records, int perChunk) {
        int n = Math.max(1, (records + perChunk - 1) / perChunk);
        long[] counts = new long[n];
        for (int c = 0; c < n; c++) {
            counts[c] = Math.min(perChunk, records - (long) c * perChunk);
        }
        return counts;
    }

    @Override
    public String describe() {
        return folder;
    }

    /** Reads record ranges of the four files on an executor; chunk ids: training chunks, then test chunks. */
    private static final class IdxRecords implements ChunkReader {
        private static final long serialVersionUID = 1L;
        private final Headers h;
        private final int trainChunks;
        private final int perChunk;
        private final int classes;
        private final HadoopConf conf;
        /** Per file, a forward-only reader, kept across one task's ranges (in file order). */
        private transient java.util.Map<String, IdxReader.RecordCursor> cursors;

        IdxRecords(Headers h, int trainChunks, int perChunk, int classes, HadoopConf conf) {
            this.h = h;
            this.trainChunks = trainChunks;
            this.perChunk = perChunk;
            this.classes = classes;
            this.conf = conf;
        }

        private IdxReader.RecordCursor cursor(IdxHeader file) {
            if (cursors == null) {
                cursors = new java.util.HashMap<>();
            }
            return cursors.computeIfAbsent(file.name(),
                    n -> new IdxReader.RecordCursor(HadoopStorage.file(n, conf.get()), file));
        }

        @Override
        public void done() {
            if (cursors != null) {
                cursors.values().forEach(IdxReader.RecordCursor::close);
                cursors = null;
            }
        }

        private static final float[] SCALE = new float[256];

        static {
            for (int v = 0; v < 256; v++) {
                SCALE[v] = v / 255f; // as IdxReader.toLabeledData
            }
        }

        @Override
        public void read(int chunk, long from, long to, long firstIndex, Examples into) {
            boolean train = chunk < trainChunks;
            IdxHeader images = train ? h.trainImages() : h.testImages();
            IdxHeader labels = train ? h.trainLabels() : h.testLabels();
            int first = Math.toIntExact((long) (train ? chunk : chunk - trainChunks) * perChunk + from);
            int count = Math.toIntExact(to - from);
            byte[] pixels = cursor(images).read(first, count);
            byte[] y = cursor(labels).read(first, count);
            int f = images.recordBytes();
            for (int i = 0; i < count; i++) {
                int label = y[i] & 0xFF;
                if (label >= classes) {
                    throw new DatasetException(labels.name() + ": label " + label + " of example " + (first + i)
                            + " is out of range 0.." + (classes - 1));
                }
                int at = into.add(label, first + i);
                float[] x = into.features();
                for (int j = 0; j < f; j++) {
                    x[at + j] = SCALE[pixels[i * f + j] & 0xFF];
                }
            }
        }
    }
}
