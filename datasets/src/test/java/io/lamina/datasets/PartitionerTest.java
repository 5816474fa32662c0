package io.lamina.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PartitionerTest {
    /** Example i has feature values i*10 .. i*10+2 and label i % 4, so every example is recognisable. */
    static LabeledData numbered(int n) {
        float[] x = new float[n * 3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = i * 10 + j;
            }
            y[i] = i % 4;
        }
        return new LabeledData(x, y, 4, ImageShape.flat(3));
    }

    @ParameterizedTest(name = "n={0}, workers={1}")
    @CsvSource({"100, 3", "10, 10", "7, 1", "1001, 8", "64, 2"})
    void everyExampleLandsInExactlyOneBlockAndSizesDifferByAtMostOne(int n, int workers) {
        LabeledData data = numbered(n);
        PartitionedData parts = Partitioner.partition(data, workers, 17);
        assertEquals(workers, parts.numWorkers());
        int[] seen = new int[n];
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (DataBlock block : parts.blocks()) {
            min = Math.min(min, block.numExamples());
            max = Math.max(max, block.numExamples());
            LabeledData local = block.data();
            for (int i = 0; i < block.numExamples(); i++) {
                int src = block.sourceIndices()[i];
                seen[src]++;
                // the block's copy really is the source example
                assertEquals(src * 10f, local.features()[i * 3]);
                assertEquals(src * 10f + 2, local.features()[i * 3 + 2]);
                assertEquals(src % 4, local.label(i));
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen[i], "example " + i);
        }
        assertTrue(max - min <= 1, "sizes " + min + ".." + max);
    }

    @Test
    void blocksAreShuffledSoClassesMixAcrossWorkers() {
        LabeledData data = numbered(400);
        PartitionedData parts = Partitioner.partition(data, 4, 3);
        int[] src = parts.block(0).sourceIndices();
        int[] sorted = src.clone();
        Arrays.sort(sorted);
        assertFalse(Arrays.equals(sorted, src), "block 0 should not be in source order");
        assertTrue(sorted[sorted.length - 1] - sorted[0] > 300, "block 0 should draw from the whole set");
        for (DataBlock b : parts.blocks()) {
            for (int count : b.data().classCounts()) {
                assertTrue(count > 10, "every class should reach every worker: " + Arrays.toString(b.data().classCounts()));
            }
        }
    }

    @Test
    void partitioningIsDeterministicAndDependsOnTheSeed() {
        LabeledData data = numbered(200);
        PartitionedData a = Partitioner.partition(data, 3, 99);
        PartitionedData b = Partitioner.partition(data, 3, 99);
        PartitionedData c = Partitioner.partition(data, 3, 100);
        for (int p = 0; p < 3; p++) {
            assertArrayEquals(a.block(p).sourceIndices(), b.block(p).sourceIndices());
            assertArrayEquals(a.block(p).data().features(), b.block(p).data().features());
        }
        assertFalse(Arrays.equals(a.block(0).sourceIndices(), c.block(0).sourceIndices()));
    }

    @Test
    void singleBlockEqualsTheSameBlockOfTheFullPartition() {
        LabeledData data = numbered(50);
        PartitionedData all = Partitioner.partition(data, 4, 5);
        for (int p = 0; p < 4; p++) {
            DataBlock one = Partitioner.block(data, 4, p, 5);
            assertEquals(p, one.partition());
            assertArrayEquals(all.block(p).sourceIndices(), one.sourceIndices());
            assertArrayEquals(all.block(p).data().features(), one.data().features());
        }
    }

    @Test
    void workerCountIsValidated() {
        LabeledData data = numbered(5);
        assertThrows(IllegalArgumentException.class, () -> Partitioner.partition(data, 0, 1));
        String msg = assertThrows(IllegalArgumentException.class, () -> Partitioner.partition(data, 6, 1)).getMessage();
        assertTrue(msg.contains("numWorkers") && msg.contains("1..5"), msg);
        assertThrows(IllegalArgumentException.class, () -> Partitioner.block(data, 2, 2, 1));
    }

    @Test
    void evaluationSlicesAreContiguousInStoredOrderAndCoverTheTestSet() {
        LabeledData test = numbered(10);
        List<LabeledData> slices = Partitioner.evaluationSlices(test, 3);
        assertEquals(List.of(4, 3, 3), slices.stream().map(LabeledData::numExamples).toList());
        int next = 0;
        for (LabeledData s : slices) {
            for (int i = 0; i < s.numExamples(); i++, next++) {
                assertEquals(next * 10f, s.features()[i * 3]);
                assertEquals(next % 4, s.label(i));
            }
        }
        assertEquals(10, next);
        List<LabeledData> many = Partitioner.evaluationSlices(numbered(2), 3);
        assertEquals(List.of(1, 1, 0), many.stream().map(LabeledData::numExamples).toList());
    }

    @Test
    void partStartAndSizeTileTheRange() {
        for (int n = 0; n < 30; n++) {
            for (int parts = 1; parts < 8; parts++) {
                int pos = 0;
                for (int p = 0; p < parts; p++) {
                    assertEquals(pos, Partitioner.partStart(n, parts, p));
                    pos += Partitioner.partSize(n, parts, p);
                }
                assertEquals(n, pos);
            }
        }
    }
}
