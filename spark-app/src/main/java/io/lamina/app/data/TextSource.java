package io.lamina.app.data;

import io.lamina.datasets.DataFile;
import io.lamina.datasets.DatasetException;
import io.lamina.datasets.FeatureStats;
import io.lamina.datasets.ImageShape;
import io.lamina.datasets.text.CsvFormat;
import io.lamina.datasets.text.LibSvmFormat;
import io.lamina.datasets.text.LineFormat;
import io.lamina.datasets.text.ParsedLine;
import io.lamina.datasets.text.TextChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * CSV or LibSVM files (or folders of them) for training and test, read by the executors in byte
 * ranges ({@link TextChunk}): nothing but the first lines is read on the driver. One distributed
 * pass ({@link ChunkScan}) counts the examples of every range, checks every line, and computes
 * the largest label and index and, when normalising, the training set's feature statistics.
 *
 * <p>CSV: {@code --label-column} (0-based) is the class, the other columns the features, all
 * numbers; {@code --header} skips each file's first line. LibSVM: one-based unless an index 0
 * appears; features = largest index + 1 - base, or {@code --features}. Classes: largest label + 1,
 * or {@code --classes}.
 */
public final class TextSource implements DataSource {

    /** The two text formats. */
    public enum Format {
        CSV, LIBSVM;

        /** From the name's extension: .csv, .libsvm or .svm; null if it says nothing. */
        static Format fromName(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            return n.endsWith(".csv") ? CSV : n.endsWith(".libsvm") || n.endsWith(".svm") ? LIBSVM : null;
        }
    }

    /** Bytes per range: at least 1 MiB, and no more than about 4096 ranges whatever the size. */
    private static final long MIN_CHUNK = 1 << 20;
    private static final int MAX_CHUNKS = 4096;

    private final String train;
    private final String test;
    private final String formatName;
    private final int labelColumn;
    private final boolean header;
    private final Normalizer.Method method;
    private final int classes;
    private final int features;

    /**
     * @param format      "csv", "libsvm" or "auto" (from the files' extensions)
     * @param labelColumn CSV: the label's column, 0-based
     * @param header      CSV: skip each file's first line
     * @param classes     0 = from the data
     * @param features    LibSVM: 0 = from the data
     */
    public TextSource(String train, String test, String format, int labelColumn, boolean header,
            Normalizer.Method method, int classes, int features) {
        this.train = train;
        this.test = test;
        this.formatName = format;
        this.labelColumn = labelColumn;
        this.header = header;
        this.method = method.or(Normalizer.Method.STANDARD);
        this.classes = classes;
        this.features = features;
    }

    /** What the driver learnt from listing the files and reading their first lines. */
    private record Checked(Format format, List<DataFiles.Entry> trainFiles, List<DataFiles.Entry> testFiles,
            int columns) {
    }

    @Override
    public long check(Configuration conf) {
        checked(conf);
        return -1; // counted by the distributed pass
    }

    private Checked checked(Configuration conf) {
        List<DataFiles.Entry> trainFiles = DataFiles.list(train, "--train", conf);
        List<DataFiles.Entry> testFiles = DataFiles.list(test, "--test", conf);
        Format format = format(trainFiles, testFiles);
        int columns = -1;
        if (format == Format.CSV) {
            columns = firstLineColumns(trainFiles.get(0).open(conf));
            if (labelColumn >= columns) {
                throw new DatasetException(trainFiles.get(0).uri() + ": --label-column " + labelColumn
                        + " but the first line has " + columns + " columns (0.." + (columns - 1) + ")");
            }
        }
        // the first example of each set parses (a wrong column count, a non-number: named now, not on a worker)
        LineFormat f = firstPassFormat(format, columns);
        for (DataFiles.Entry e : List.of(trainFiles.get(0), testFiles.get(0))) {
            DataFile file = e.open(conf);
            long n = new TextChunk(0, 0, e.length()).read(file, header, f, (line, off) -> false);
            if (n == 0) {
                throw new DatasetException(e.uri() + ": no examples (the file is blank" + (header ? " or only a header" : "")
                        + ")");
            }
        }
        return new Checked(format, trainFiles, testFiles, columns);
    }

    /** --format, else the training location's extension, else its files' (a folder); test files must agree. */
    private Format format(List<DataFiles.Entry> trainFiles, List<DataFiles.Entry> testFiles) {
        if (!"auto".equalsIgnoreCase(formatName)) {
            return Format.valueOf(formatName.toUpperCase(Locale.ROOT));
        }
        Format found = Format.fromName(train);
        for (DataFiles.Entry e : trainFiles) {
            found = found != null ? found : Format.fromName(e.uri());
        }
        if (found == null) {
            throw new DatasetException(train + ": cannot tell the format from the file names (.csv, .libsvm, .svm); "
                    + "give --format csv|libsvm");
        }
        List<DataFiles.Entry> all = new ArrayList<>(trainFiles);
        all.addAll(testFiles);
        for (DataFiles.Entry e : all) {
            Format f = Format.fromName(e.uri());
            if (f != null && f != found) {
                throw new DatasetException(e.uri() + " looks like " + f.name().toLowerCase(Locale.ROOT) + " but "
                        + train + " like " + found.name().toLowerCase(Locale.ROOT) + "; give --format csv|libsvm");
            }
        }
        return found;
    }

    /** Fields on the first example line of a CSV file. */
    private int firstLineColumns(DataFile file) {
        int[] columns = {-1};
        LineFormat probe = (b, from, to, out) -> {
            if (new String(b, from, to - from, java.nio.charset.StandardCharsets.US_ASCII).isBlank()) {
                return false;
            }
            columns[0] = CsvFormat.countFields(b, from, to);
            return true;
        };
        new TextChunk(0, 0, Long.MAX_VALUE).read(file, header, probe, (line, off) -> false);
        if (columns[0] < 0) {
            throw new DatasetException(file.name() + ": no examples (the file is blank" + (header ? " or only a header" : "")
                    + ")");
        }
        if (columns[0] < 2) {
            throw new DatasetException(file.name() + ": the first line has " + columns[0]
                    + " column; CSV needs a label and at least one feature, separated by commas");
        }
        return columns[0];
    }

    private LineFormat firstPassFormat(Format format, int columns) {
        if (format == Format.CSV) {
            return new CsvFormat(columns, labelColumn, classes);
        }
        // the base is not known yet: with --features N the largest allowed index is N (one-based)
        return features > 0 ? new LibSvmFormat(classes, features, "0.." + (features - 1) + " (zero-based) or 1.."
                + features + " (one-based) for --features " + features) : new LibSvmFormat(classes, -1, "any");
    }

    @Override
    public TrainingData open(JavaSparkContext sc) {
        Checked c = checked(sc.hadoopConfiguration());
        List<DataFiles.Entry> files = new ArrayList<>(c.trainFiles());
        files.addAll(c.testFiles());
        long trainBytes = c.trainFiles().stream().mapToLong(DataFiles.Entry::length).sum();
        long chunkBytes = Math.max(MIN_CHUNK, (trainBytes + MAX_CHUNKS - 1) / MAX_CHUNKS);
        List<TextChunk> chunks = new ArrayList<>();
        int trainChunkCount = 0;
        for (int f = 0; f < files.size(); f++) {
            if (f == c.trainFiles().size()) {
                trainChunkCount = chunks.size(); // test chunks follow the training chunks
            }
            for (long start = 0; start < files.get(f).length(); start += chunkBytes) {
                chunks.add(new TextChunk(f, start, Math.min(files.get(f).length(), start + chunkBytes)));
            }
        }
        int trainCount = trainChunkCount;
        String[] uris = files.stream().map(DataFiles.Entry::uri).toArray(String[]::new);
        TextChunk[] all = chunks.toArray(new TextChunk[0]);
        HadoopConf conf = HadoopConf.broadcast(sc);
        try {
            boolean stats = method != Normalizer.Method.NONE;
            LineFormat pass1 = firstPassFormat(c.format(), c.columns());
            boolean skipHeader = header;
            ScanSummary s = ChunkScan.run(sc, all.length, chunk -> scan(all[chunk], uris, conf, skipHeader, pass1,
                    chunk, stats && chunk < trainCount), "scan " + train + " and " + test);
            return describe(c, s, all, uris, conf, trainCount);
        } catch (RuntimeException e) {
            conf.destroy();
            throw e;
        }
    }

    private static ScanSummary scan(TextChunk chunk, String[] uris, HadoopConf conf, boolean header, LineFormat format,
            int id, boolean stats) {
        FeatureStats.Accumulator acc = new FeatureStats.Accumulator();
        int[] extremes = {-1, Integer.MAX_VALUE, -1}; // max label, min index, max index
        DataFile file = io.lamina.datasets.HadoopStorage.file(uris[chunk.file()], conf.get());
        long n = chunk.read(file, header, format, (ParsedLine line, long offset) -> {
            extremes[0] = Math.max(extremes[0], line.label());
            if (line.sparse() && line.count() > 0) {
                extremes[1] = Math.min(extremes[1], line.indices()[0]);
                extremes[2] = Math.max(extremes[2], line.indices()[line.count() - 1]);
            }
            if (stats) {
                if (line.sparse()) {
                    acc.addSparse(line.indices(), line.values(), line.count());
                } else {
                    acc.addDense(line.values(), line.count());
                }
            }
            return true;
        });
        return ScanSummary.ofChunk(id, n, acc.finish(), extremes[0], extremes[1], extremes[2]);
    }

    /** From the pass's figures to the data as the engine takes it; checks what only all the data tells. */
    private TrainingData describe(Checked c, ScanSummary s, TextChunk[] chunks, String[] uris, HadoopConf conf,
            int trainChunkCount) {
        long[] perFile = new long[uris.length];
        for (int i = 0; i < chunks.length; i++) {
            perFile[chunks[i].file()] += s.counts[i];
        }
        for (int f = 0; f < uris.length; f++) {
            if (perFile[f] == 0) {
                throw new DatasetException(uris[f] + ": no examples (the file is blank" + (header ? " or only a header" : "")
                        + ")");
            }
        }
        long[] trainCounts = java.util.Arrays.copyOfRange(s.counts, 0, trainChunkCount);
        long[] testCounts = java.util.Arrays.copyOfRange(s.counts, trainChunkCount, s.counts.length);
        int numClasses = classes > 0 ? classes : s.maxLabel + 1;
        int base;
        int numFeatures;
        FeatureStats stats = s.stats;
        if (c.format() == Format.CSV) {
            base = 0;
            numFeatures = c.columns() - 1;
        } else {
            base = s.minIndex == 0 ? 0 : 1;
            numFeatures = features > 0 ? features : Math.max(1, s.maxIndex + 1 - base);
            if (base == 1) {
                stats = stats.dropFirst();
            }
        }
        if (numClasses < 2) {
            throw new DatasetException(train + ": every label is " + s.maxLabel + "; training needs at least 2 classes "
                    + "(labels 0..C-1; --classes C)");
        }
        Normalizer normalizer = Normalizer.of(method, stats, numFeatures);
        LineFormat pass2 = c.format() == Format.CSV ? new CsvFormat(c.columns(), labelColumn, numClasses)
                : new LibSvmFormat(numClasses, base + numFeatures - 1, base + ".." + (base + numFeatures - 1) + " ("
                        + (base == 0 ? "zero" : "one") + "-based, " + numFeatures + " features"
                        + (features > 0 ? ": --features " + features : "") + ")");
        long trainTotal = java.util.Arrays.stream(trainCounts).sum();
        long testTotal = java.util.Arrays.stream(testCounts).sum();
        DataInfo info = new DataInfo(ImageShape.flat(numFeatures), numClasses, trainTotal, testTotal);
        TextReader reader = new TextReader(uris, chunks, header, pass2, numFeatures, base, conf);
        return new ChunkedData(info, normalizer, trainCounts, testCounts, reader, conf::destroy);
    }

    @Override
    public String describe() {
        return train + " + " + test;
    }

    /** Reads slices of text chunks on an executor. */
    private record TextReader(String[] uris, TextChunk[] chunks, boolean header, LineFormat format, int features,
            int base, HadoopConf conf) implements ChunkReader {
        @Override
        public void read(int chunk, long from, long to, long firstIndex, Examples into) {
            TextChunk c = chunks[chunk];
            DataFile file = io.lamina.datasets.HadoopStorage.file(uris[c.file()], conf.get());
            long[] k = {0};
            c.read(file, header, format, (line, offset) -> {
                if (k[0] >= from) {
                    int at = into.add(line.label(), firstIndex + k[0]);
                    line.copyTo(into.features(), at, features, base);
                }
                k[0]++;
                return k[0] < to;
            });
            if (k[0] < to) {
                throw new DatasetException(uris[c.file()] + ": bytes " + c.start() + ".." + c.end() + " hold " + k[0]
                        + " examples, " + to + " were counted (did the file change?)");
            }
        }
    }
}
