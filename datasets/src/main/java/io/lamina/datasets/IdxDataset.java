package io.lamina.datasets;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Loads an MNIST-family data set from a folder holding the four standard IDX files
 * ({@value #TRAIN_IMAGES}, {@value #TRAIN_LABELS}, {@value #TEST_IMAGES}, {@value #TEST_LABELS}),
 * each raw or gzipped and named with or without {@code .gz}. When both names exist, the one
 * without {@code .gz} is used (gzip is detected from the content either way).
 */
public final class IdxDataset {
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** The four file names in the order train images, train labels, test images, test labels. */
    public static final List<String> FILE_NAMES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);
    /** MNIST and Fashion-MNIST have ten classes. */
    public static final int NUM_CLASSES = 10;

    private IdxDataset() {
    }

    /** Loads the folder at a local path or Hadoop URI ({@code file://}, {@code hdfs://}, ...), 10 classes. */
    public static TrainTestData load(String folderPathOrUri) {
        return load(Locations.folder(folderPathOrUri), NUM_CLASSES);
    }

    /** Loads the folder, 10 classes. */
    public static TrainTestData load(DataFolder folder) {
        return load(folder, NUM_CLASSES);
    }

    /** Loads the folder; every label must be below {@code numClasses}. */
    public static TrainTestData load(DataFolder folder, int numClasses) {
        DataFile[] files = new DataFile[FILE_NAMES.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            String base = FILE_NAMES.get(i);
            Optional<DataFile> f = folder.file(base).or(() -> folder.file(base + ".gz"));
            if (f.isPresent()) {
                files[i] = f.get();
            } else {
                missing.add(base + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw new DatasetException(folder.name() + ": missing IDX file(s) " + String.join(", ", missing)
                    + "; expected the four files " + String.join(", ", FILE_NAMES)
                    + " (each with or without .gz) in " + folder.name());
        }
        IdxImages trainImages = IdxReader.readImages(files[0]);
        IdxImages testImages = IdxReader.readImages(files[2]);
        if (trainImages.rows() != testImages.rows() || trainImages.cols() != testImages.cols()) {
            throw new DatasetException("image size mismatch: " + files[0].name() + " holds " + trainImages.rows()
                    + "x" + trainImages.cols() + " images but " + files[2].name() + " holds "
                    + testImages.rows() + "x" + testImages.cols() + " images");
        }
        LabeledData train = IdxReader.toLabeledData(trainImages, files[0].name(),
                IdxReader.readLabels(files[1]), files[1].name(), numClasses);
        trainImages = null; // let the raw bytes go before the test set is converted
        LabeledData test = IdxReader.toLabeledData(testImages, files[2].name(),
                IdxReader.readLabels(files[3]), files[3].name(), numClasses);
        return new TrainTestData(train, test);
    }

    /** The Fashion-MNIST subset embedded in this library; see {@link EmbeddedData}. */
    public static TrainTestData loadEmbedded() {
        return EmbeddedData.load();
    }
}
