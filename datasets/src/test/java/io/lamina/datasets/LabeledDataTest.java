package io.lamina.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class LabeledDataTest {
    @Test
    void sliceAndSelectCopyTheRightExamples() {
        LabeledData data = PartitionerTest.numbered(10);
        LabeledData slice = data.slice(3, 6);
        assertEquals(3, slice.numExamples());
        assertEquals(9, slice.features().length);
        assertEquals(30f, slice.features()[0]);
        assertEquals(52f, slice.features()[8]);
        assertArrayEquals(new int[] {3, 0, 1}, slice.labels());

        LabeledData picked = data.select(new int[] {9, 0, 9});
        assertArrayEquals(new float[] {90, 91, 92, 0, 1, 2, 90, 91, 92}, picked.features());
        assertArrayEquals(new int[] {1, 0, 1}, picked.labels());
        assertThrows(IndexOutOfBoundsException.class, () -> data.slice(5, 11));
        assertThrows(IndexOutOfBoundsException.class, () -> data.select(new int[] {10}));
    }

    @Test
    void aSliceSerializesOnlyItsOwnExamples() throws Exception {
        LabeledData data = SyntheticData.gaussianBlobs(10_000, 20, 3, 1);
        int whole = serialize(data).length;
        byte[] sliceBytes = serialize(data.slice(0, 100));
        assertTrue(sliceBytes.length < whole / 50, sliceBytes.length + " vs " + whole);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(sliceBytes))) {
            LabeledData back = (LabeledData) in.readObject();
            assertArrayEquals(data.slice(0, 100).features(), back.features());
            assertEquals(data.shape(), back.shape());
        }
    }

    @Test
    void constructorChecksSizesAndLabels() {
        assertThrows(IllegalArgumentException.class,
                () -> new LabeledData(new float[5], new int[2], 2, ImageShape.flat(3)));
        String msg = assertThrows(IllegalArgumentException.class,
                () -> new LabeledData(new float[6], new int[] {0, 2}, 2, ImageShape.flat(3))).getMessage();
        assertTrue(msg.contains("label 2") && msg.contains("0..1"), msg);
    }

    private static byte[] serialize(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }
}
