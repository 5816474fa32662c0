package io.lamina.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading a record range of an IDX file from its header alone, raw or gzipped. */
class IdxRecordsTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aRangeIsTheSameBytesAsTheWholeFileHolds(boolean gzip) throws Exception {
        int n = 37;
        byte[] pixels = new byte[n * 4 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 31);
        }
        Path file = tmp.resolve("images");
        IdxWriter.writeImages(file, new IdxImages(n, 4, 3, pixels), gzip);
        DataFile f = Locations.localFile(file);
        IdxReader.IdxHeader h = IdxReader.header(f, IdxReader.IMAGES_MAGIC);
        assertEquals(n, h.count());
        assertEquals(12, h.recordBytes());
        assertEquals(gzip, h.gzipped());
        assertArrayEquals(Arrays.copyOfRange(pixels, 5 * 12, 19 * 12), IdxReader.readRecords(f, h, 5, 14));
        assertArrayEquals(Arrays.copyOfRange(pixels, 36 * 12, 37 * 12), IdxReader.readRecords(f, h, 36, 1));
        assertThrows(IllegalArgumentException.class, () -> IdxReader.readRecords(f, h, 30, 8));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFileCutShortIsNamedWhenItsRangeIsRead(boolean gzip) throws Exception {
        Path file = tmp.resolve("labels");
        IdxWriter.writeLabels(file, new IdxLabels(new byte[1000]), gzip);
        IdxReader.IdxHeader h = IdxReader.header(Locations.localFile(file), IdxReader.LABELS_MAGIC);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - (gzip ? 20 : 100)));
        DatasetException e = assertThrows(DatasetException.class,
                () -> IdxReader.readRecords(Locations.localFile(file), h, 950, 50));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }
}
