package io.lamina.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PartitionedDataTest {
    @Test
    void globalBatchIsTheConcatenationOfEveryWorkersBatch() {
        LabeledData data = PartitionerTest.numbered(103);
        PartitionedData parts = Partitioner.partition(data, 3, 21); // 35, 34, 34
        int b = 5;
        assertEquals(6, parts.stepsPerEpoch(b));
        float[] gx = new float[3 * b * 3];
        float[] gy = new float[3 * b * 4];
        for (long t = 0; t < 14; t++) {
            int epoch = parts.epochOf(t, b);
            int step = parts.stepInEpochOf(t, b);
            assertEquals(t / 6, epoch);
            assertEquals(t % 6, step);
            parts.fillGlobalBatch(t, b, gx, gy);
            for (int p = 0; p < 3; p++) {
                float[] x = new float[b * 3];
                float[] y = new float[b * 4];
                parts.block(p).fillBatch(epoch, step, b, x, y);
                assertArrayEquals(x, Arrays.copyOfRange(gx, p * b * 3, (p + 1) * b * 3), "worker " + p + " step " + t);
                assertArrayEquals(y, Arrays.copyOfRange(gy, p * b * 4, (p + 1) * b * 4), "worker " + p + " step " + t);
            }
        }
    }

    @Test
    void lockstepEpochLengthIsTheSmallestBlocksSteps() {
        PartitionedData parts = Partitioner.partition(PartitionerTest.numbered(10), 3, 1); // 4, 3, 3
        assertEquals(4, parts.block(0).numExamples());
        assertEquals(2, parts.block(0).stepsPerEpoch(2));
        assertEquals(1, parts.block(1).stepsPerEpoch(2));
        assertEquals(1, parts.stepsPerEpoch(2));
        assertEquals(3, parts.epochOf(3, 2));
    }
}
