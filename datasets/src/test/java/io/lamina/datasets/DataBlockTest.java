package io.lamina.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataBlockTest {
    private static final int BATCH = 8;

    private static DataBlock block(int n, int workers, int p, long seed) {
        return Partitioner.block(PartitionerTest.numbered(n), workers, p, seed);
    }

    private static float[][] batch(DataBlock b, int epoch, int step, int batchSize) {
        float[] x = new float[batchSize * b.featureSize()];
        float[] y = new float[batchSize * b.numClasses()];
        b.fillBatch(epoch, step, batchSize, x, y);
        return new float[][] {x, y};
    }

    @Test
    void stepsPerEpochDropsTheLastIncompleteBatch() {
        DataBlock b = block(100, 3, 0, 1); // 34 examples
        assertEquals(34, b.numExamples());
        assertEquals(4, b.stepsPerEpoch(8));
        assertEquals(1, b.stepsPerEpoch(34));
        assertEquals(34, b.stepsPerEpoch(1));
    }

    @Test
    void fillBatchCopiesTheExamplesOfTheEpochOrderWithOneHotLabels() {
        DataBlock b = block(100, 3, 1, 1);
        int[] order = b.epochOrder(2);
        float[][] xy = batch(b, 2, 1, BATCH);
        for (int i = 0; i < BATCH; i++) {
            int local = order[BATCH + i];
            int src = b.sourceIndices()[local];
            assertEquals(src * 10f, xy[0][i * 3]);
            assertEquals(src * 10f + 1, xy[0][i * 3 + 1]);
            float[] oneHot = Arrays.copyOfRange(xy[1], i * 4, i * 4 + 4);
            float[] expected = new float[4];
            expected[src % 4] = 1f;
            assertArrayEquals(expected, oneHot);
        }
        assertArrayEquals(Arrays.copyOfRange(order, BATCH, 2 * BATCH), b.batchIndices(2, 1, BATCH));
        int[] labels = new int[BATCH];
        b.fillBatchLabels(2, 1, BATCH, labels);
        for (int i = 0; i < BATCH; i++) {
            assertEquals(b.sourceIndices()[order[BATCH + i]] % 4, labels[i]);
        }
    }

    @Test
    void reusedOutputArraysAreFullyOverwritten() {
        DataBlock b = block(40, 1, 0, 1);
        float[] x = new float[BATCH * 3];
        float[] y = new float[BATCH * 4];
        Arrays.fill(x, -1f);
        Arrays.fill(y, 7f);
        b.fillBatch(0, 0, BATCH, x, y);
        float[][] fresh = batch(b, 0, 0, BATCH);
        assertArrayEquals(fresh[0], x);
        assertArrayEquals(fresh[1], y);
    }

    @Test
    void sameSeedEpochAndPartitionGiveTheSameBatchesEvenAfterSerialization() throws Exception {
        DataBlock a = block(300, 4, 2, 11);
        DataBlock b = roundTrip(block(300, 4, 2, 11)); // as a rerun task on another JVM would see it
        a.fillBatch(5, 0, BATCH, new float[BATCH * 3], new float[BATCH * 4]); // warm a's cache on another epoch
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int step = 0; step < a.stepsPerEpoch(BATCH); step++) {
                float[][] x = batch(a, epoch, step, BATCH);
                float[][] y = batch(b, epoch, step, BATCH);
                assertArrayEquals(x[0], y[0]);
                assertArrayEquals(x[1], y[1]);
            }
        }
    }

    @Test
    void orderChangesWithEpochPartitionAndSeed() {
        DataBlock b = block(300, 1, 0, 11);
        int[] e0 = b.epochOrder(0);
        int[] e1 = b.epochOrder(1);
        assertFalse(Arrays.equals(e0, e1), "different epochs must visit examples in different orders");
        assertFalse(Arrays.equals(e0, block(300, 1, 0, 12).epochOrder(0)), "different seeds");
        // partitions 0 and 1 of the same size: their per-epoch permutations must differ too
        assertFalse(Arrays.equals(block(300, 2, 0, 11).epochOrder(0), block(300, 2, 1, 11).epochOrder(0)));
        assertArrayEquals(e0, b.epochOrder(0), "asking again, after another epoch, gives the same order");
    }

    @Test
    void anEpochVisitsDistinctExamples() {
        DataBlock b = block(100, 2, 0, 3); // 50 examples, 6 full batches of 8
        Set<Integer> seen = new HashSet<>();
        for (int step = 0; step < b.stepsPerEpoch(BATCH); step++) {
            for (int i : b.batchIndices(4, step, BATCH)) {
                assertTrue(seen.add(i), "example " + i + " used twice in one epoch");
            }
        }
        assertEquals(48, seen.size());
    }

    @Test
    void invalidArgumentsAreRejectedWithClearMessages() {
        DataBlock b = block(20, 2, 1, 3); // 10 examples
        float[] x = new float[100];
        float[] y = new float[100];
        String msg = assertThrows(IllegalArgumentException.class, () -> b.fillBatch(0, 0, 0, x, y)).getMessage();
        assertTrue(msg.contains("batchSize") && msg.contains("1..10") && msg.contains("partition 1"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> b.fillBatch(0, 0, 11, x, y)).getMessage();
        assertTrue(msg.contains("batchSize") && msg.contains("got 11"), msg);
        assertThrows(IllegalArgumentException.class, () -> b.stepsPerEpoch(0));
        msg = assertThrows(IllegalArgumentException.class, () -> b.fillBatch(0, 3, 3, x, y)).getMessage();
        assertTrue(msg.contains("stepInEpoch") && msg.contains("0..2"), msg);
        assertThrows(IllegalArgumentException.class, () -> b.fillBatch(-1, 0, 3, x, y));
        msg = assertThrows(IllegalArgumentException.class,
                () -> b.fillBatch(0, 0, 5, new float[14], y)).getMessage();
        assertTrue(msg.contains("featuresOut") && msg.contains("15"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> b.fillBatch(0, 0, 5, x, new float[19])).getMessage();
        assertTrue(msg.contains("labelsOneHotOut") && msg.contains("20"), msg);
    }

    private static DataBlock roundTrip(DataBlock block) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(block);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (DataBlock) in.readObject();
        }
    }
}
