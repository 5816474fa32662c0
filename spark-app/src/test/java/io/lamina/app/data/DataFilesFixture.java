package io.lamina.app.data;

import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.LabeledData;
import io.lamina.datasets.TrainTestData;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A slice of the embedded Fashion-MNIST subset with pixels as integers 0..255 (as a CSV export of
 * Fashion-MNIST holds them), written as CSV and LibSVM files.
 */
final class DataFilesFixture {
    static final int TRAIN = 800;
    static final int TEST = 160;

    final TrainTestData data;

    DataFilesFixture() {
        TrainTestData all = EmbeddedData.load();
        data = new TrainTestData(grey(all.train().slice(0, TRAIN)), grey(all.test().slice(0, TEST)));
    }

    private static LabeledData grey(LabeledData d) {
        float[] x = d.features().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.round(x[i] * 255);
        }
        return new LabeledData(x, d.labels(), d.numClasses(), io.lamina.datasets.ImageShape.flat(d.featureSize()));
    }

    /** label,x0,...,x783 per line, optionally a header, over {@code parts} files in a folder when > 1. */
    static Path csv(LabeledData d, Path target, boolean header, int parts) throws IOException {
        if (parts > 1) {
            Files.createDirectories(target);
            Files.writeString(target.resolve("_SUCCESS"), "");
        }
        int f = d.featureSize();
        for (int part = 0; part < parts; part++) {
            Path file = parts > 1 ? target.resolve(String.format("part-%05d.csv", part)) : target;
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
                if (header) {
                    w.write("label");
                    for (int j = 0; j < f; j++) {
                        w.write(",pixel" + j);
                    }
                    w.newLine();
                }
                int from = (int) ((long) d.numExamples() * part / parts);
                int to = (int) ((long) d.numExamples() * (part + 1) / parts);
                for (int i = from; i < to; i++) {
                    StringBuilder sb = new StringBuilder().append(d.label(i));
                    for (int j = 0; j < f; j++) {
                        sb.append(',').append((int) d.features()[i * f + j]);
                    }
                    w.write(sb.toString());
                    w.newLine();
                }
            }
        }
        return target;
    }

    /** label index:value ... with indices from {@code base}, zeros left out. */
    static Path libsvm(LabeledData d, Path file, int base) throws IOException {
        int f = d.featureSize();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            for (int i = 0; i < d.numExamples(); i++) {
                StringBuilder sb = new StringBuilder().append(d.label(i));
                for (int j = 0; j < f; j++) {
                    float v = d.features()[i * f + j];
                    if (v != 0) {
                        sb.append(' ').append(j + base).append(':').append((int) v);
                    }
                }
                w.write(sb.toString());
                w.newLine();
            }
        }
        return file;
    }
}
