package io.lamina.datasets;

import java.util.List;

/**
 * A class-balanced subset of Fashion-MNIST shipped inside this library, so that examples and tests
 * run with no data on disk: 6,000 training images (600 per class) and 1,000 test images (100 per
 * class), 28x28 grey levels, 10 classes, as gzipped IDX files under
 * {@value #RESOURCE_FOLDER}.
 *
 * <p>Built by {@link io.lamina.datasets.tools.BuildEmbeddedSubset} from the full data set with
 * seed 42; datasets/README.md gives the command and the files' checksums.
 */
public final class EmbeddedData {
    /** Class-path folder of the four gzipped IDX files. */
    public static final String RESOURCE_FOLDER = "io/lamina/datasets/fashion-mnist-subset";
    /** Fashion-MNIST's class names, by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private EmbeddedData() {
    }

    /** Reads the subset from the class path (a fresh copy on every call; ~50 ms). */
    public static TrainTestData load() {
        return IdxDataset.load(Locations.classpath(RESOURCE_FOLDER), IdxDataset.NUM_CLASSES);
    }
}
