package io.lamina.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticDataTest {
    @Test
    void blobsAreDeterministicBalancedAndSeedDependent() {
        LabeledData a = SyntheticData.gaussianBlobs(1000, 12, 5, 7);
        LabeledData b = SyntheticData.gaussianBlobs(1000, 12, 5, 7);
        assertArrayEquals(a.features(), b.features());
        assertArrayEquals(a.labels(), b.labels());
        assertFalse(Arrays.equals(a.features(), SyntheticData.gaussianBlobs(1000, 12, 5, 8).features()));
        assertArrayEquals(new int[] {200, 200, 200, 200, 200}, a.classCounts());
        assertEquals(ImageShape.flat(12), a.shape());
        assertEquals(12, a.featureSize());
    }

    @Test
    void classesAreNearlySeparableByNearestCentroid() {
        LabeledData train = SyntheticData.gaussianBlobs(2000, 10, 4, 3);
        int f = train.featureSize();
        double[] centroids = new double[4 * f];
        int[] counts = train.classCounts();
        for (int i = 0; i < train.numExamples(); i++) {
            for (int j = 0; j < f; j++) {
                centroids[train.label(i) * f + j] += train.features()[i * f + j] / counts[train.label(i)];
            }
        }
        int correct = 0;
        for (int i = 0; i < train.numExamples(); i++) {
            int best = -1;
            double bestDist = Double.MAX_VALUE;
            for (int c = 0; c < 4; c++) {
                double d = 0;
                for (int j = 0; j < f; j++) {
                    double diff = train.features()[i * f + j] - centroids[c * f + j];
                    d += diff * diff;
                }
                if (d < bestDist) {
                    bestDist = d;
                    best = c;
                }
            }
            correct += best == train.label(i) ? 1 : 0;
        }
        assertTrue(correct > 0.95 * train.numExamples(), "nearest-centroid accuracy " + correct + "/2000");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticData.gaussianBlobs(10, 0, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> SyntheticData.gaussianBlobs(10, 3, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> SyntheticData.gaussianBlobs(10, 3, 2, Double.NaN, 1));
    }
}
