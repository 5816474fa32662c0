package io.lamina.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocationsTest {
    @TempDir
    Path dir;

    @Test
    void schemesAreRecognisedButPlainPathsAndDriveLettersAreLocal() {
        assertTrue(Locations.hasScheme("file:///tmp/x"));
        assertTrue(Locations.hasScheme("hdfs://namenode:8020/data"));
        assertTrue(Locations.hasScheme("s3a://bucket/key"));
        assertFalse(Locations.hasScheme("/tmp/x"));
        assertFalse(Locations.hasScheme("relative/dir"));
        assertFalse(Locations.hasScheme("C:\\data"));
    }

    @Test
    void hadoopFileUriLoadsTheSameDataAsThePlainPath() throws IOException {
        TestIdx.writeDataset(dir, 25, 11, 3, 3, true);
        String uri = dir.toUri().toString(); // file:///...
        assertTrue(uri.startsWith("file:"), uri);

        TrainTestData viaHadoop = IdxDataset.load(uri);
        TrainTestData viaNio = IdxDataset.load(dir.toString());
        assertEquals(25, viaHadoop.train().numExamples());
        assertEquals(11, viaHadoop.test().numExamples());
        assertArrayEquals(viaNio.train().features(), viaHadoop.train().features());
        assertArrayEquals(viaNio.test().labels(), viaHadoop.test().labels());
    }

    @Test
    void hadoopFileUriReportsLengthAndMissingFiles() throws IOException {
        Path f = TestIdx.write(dir, "labels", TestIdx.labelBytes(TestIdx.labels(7, 10)));
        DataFile file = Locations.file(f.toUri().toString());
        assertEquals(Files.size(f), file.length());
        assertEquals(7, IdxReader.readLabels(file).count());

        String missingFolder = dir.resolve("absent").toUri().toString();
        String msg = assertThrows(DatasetException.class, () -> IdxDataset.load(missingFolder)).getMessage();
        assertTrue(msg.contains("absent") && msg.contains("folder not found"), msg);

        TestIdx.writeDataset(dir, 10, 10, 2, 2, false);
        Files.delete(dir.resolve(IdxDataset.TEST_LABELS));
        msg = assertThrows(DatasetException.class, () -> IdxDataset.load(dir.toUri().toString())).getMessage();
        assertTrue(msg.contains("t10k-labels-idx1-ubyte[.gz]") && msg.contains("missing"), msg);
    }

    @Test
    void truncatedFileOverHadoopUsesTheKnownLength() throws IOException {
        byte[] full = TestIdx.imageBytes(TestIdx.images(3, 2, 2, 0));
        Path f = TestIdx.write(dir, "short", java.util.Arrays.copyOf(full, full.length - 1));
        String msg = assertThrows(DatasetException.class,
                () -> IdxReader.readImages(f.toUri().toString())).getMessage();
        assertTrue(msg.contains("short") && msg.contains("truncated") && msg.contains("11 bytes"), msg);
    }
}
