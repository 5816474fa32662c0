package io.lamina.datasets.tools;

import io.lamina.datasets.DataFile;
import io.lamina.datasets.DataFolder;
import io.lamina.datasets.DatasetException;
import io.lamina.datasets.IdxDataset;
import io.lamina.datasets.IdxImages;
import io.lamina.datasets.IdxLabels;
import io.lamina.datasets.IdxReader;
import io.lamina.datasets.IdxWriter;
import io.lamina.datasets.Locations;
import io.lamina.datasets.SeededRandom;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Builds the class-balanced subset embedded in the library (see
 * {@link io.lamina.datasets.EmbeddedData}) from a full MNIST-family folder.
 *
 * <p>Usage: {@code BuildEmbeddedSubset <source folder> <target folder> <train per class>
 * <test per class> <seed>}.
 *
 * <p>Selection, per split and per class: take the indices of that class in file order, shuffle
 * them with {@link SeededRandom} seeded by {@code derive(seed, split, class)} (split 0 = train,
 * 1 = test), keep the first k. The kept indices of all classes are then sorted, so the subset
 * keeps the source's order (classes stay interleaved). Output: the four standard file names with
 * {@code .gz}, gzip level 9; the tool prints each file's size and sha256.
 */
public final class BuildEmbeddedSubset {
    private BuildEmbeddedSubset() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: BuildEmbeddedSubset <source folder> <target folder> <train per class>"
                    + " <test per class> <seed>");
            System.exit(2);
        }
        DataFolder source = Locations.folder(args[0]);
        Path target = Paths.get(args[1]);
        int trainPerClass = Integer.parseInt(args[2]);
        int testPerClass = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        Files.createDirectories(target);
        writeSubset(source, IdxDataset.TRAIN_IMAGES, IdxDataset.TRAIN_LABELS, trainPerClass, seed, 0, target);
        writeSubset(source, IdxDataset.TEST_IMAGES, IdxDataset.TEST_LABELS, testPerClass, seed, 1, target);
    }

    private static void writeSubset(DataFolder source, String imagesName, String labelsName, int perClass,
                                    long seed, int split, Path target) throws IOException {
        IdxImages images = IdxReader.readImages(find(source, imagesName));
        IdxLabels labels = IdxReader.readLabels(find(source, labelsName));
        if (images.count() != labels.count()) {
            throw new DatasetException(imagesName + " and " + labelsName + " differ in count");
        }
        int[] chosen = choose(labels, IdxDataset.NUM_CLASSES, perClass, seed, split);
        int size = images.imageSize();
        byte[] pixels = new byte[chosen.length * size];
        byte[] subsetLabels = new byte[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            System.arraycopy(images.pixels(), chosen[i] * size, pixels, i * size, size);
            subsetLabels[i] = labels.bytes()[chosen[i]];
        }
        Path imagesOut = target.resolve(imagesName + ".gz");
        Path labelsOut = target.resolve(labelsName + ".gz");
        IdxWriter.writeImages(imagesOut, new IdxImages(chosen.length, images.rows(), images.cols(), pixels), true);
        IdxWriter.writeLabels(labelsOut, new IdxLabels(subsetLabels), true);
        report(imagesOut);
        report(labelsOut);
    }

    /** The sorted source indices of {@code perClass} seeded-random examples of every class. */
    static int[] choose(IdxLabels labels, int numClasses, int perClass, long seed, int split) {
        int[] chosen = new int[numClasses * perClass];
        for (int c = 0; c < numClasses; c++) {
            int[] ofClass = indicesOf(labels, c);
            if (ofClass.length < perClass) {
                throw new DatasetException("class " + c + " has only " + ofClass.length + " examples, "
                        + perClass + " wanted");
            }
            new SeededRandom(SeededRandom.derive(seed, split, c)).shuffle(ofClass);
            System.arraycopy(ofClass, 0, chosen, c * perClass, perClass);
        }
        Arrays.sort(chosen);
        return chosen;
    }

    private static int[] indicesOf(IdxLabels labels, int c) {
        int[] all = new int[labels.count()];
        int n = 0;
        for (int i = 0; i < labels.count(); i++) {
            if (labels.label(i) == c) {
                all[n++] = i;
            }
        }
        return Arrays.copyOf(all, n);
    }

    private static DataFile find(DataFolder folder, String base) {
        return folder.file(base).or(() -> folder.file(base + ".gz")).orElseThrow(() -> new DatasetException(
                folder.name() + ": missing " + base + " (or " + base + ".gz)"));
    }

    private static void report(Path file) throws IOException {
        System.out.println(sha256(file) + "  " + Files.size(file) + "  " + file.getFileName());
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
