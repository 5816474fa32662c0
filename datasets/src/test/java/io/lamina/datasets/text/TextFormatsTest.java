package io.lamina.datasets.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.datasets.DatasetException;
import io.lamina.datasets.Locations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV and LibSVM lines, byte-range reading, and bad lines named by file and line. */
class TextFormatsTest {

    @TempDir
    Path tmp;

    private static ParsedLine parse(LineFormat f, String line) {
        byte[] b = line.getBytes(StandardCharsets.US_ASCII);
        ParsedLine out = new ParsedLine();
        assertTrue(f.parse(b, 0, b.length, out), "no example in '" + line + "'");
        return out;
    }

    private static String problem(LineFormat f, String line) {
        byte[] b = line.getBytes(StandardCharsets.US_ASCII);
        return assertThrows(LineProblem.class, () -> f.parse(b, 0, b.length, new ParsedLine())).getMessage();
    }

    private static float[] dense(ParsedLine p, int features, int base) {
        float[] row = new float[features];
        p.copyTo(row, 0, features, base);
        return row;
    }

    @Test
    void csvTakesTheLabelFromItsColumnAndTheRestInOrder() {
        CsvFormat f = new CsvFormat(4, 2, 0);
        ParsedLine p = parse(f, " 1.5, -2e-1 ,3,0.25");
        assertEquals(3, p.label());
        assertArrayEquals(new float[] {1.5f, -0.2f, 0.25f}, dense(p, 3, 0));
        assertEquals(0, parse(new CsvFormat(2, 0, 0), "0.0,7").label(), "a label written as 0.0");
        byte[] blank = "  ".getBytes(StandardCharsets.US_ASCII);
        assertFalse(f.parse(blank, 0, blank.length, new ParsedLine()), "a blank line holds no example");
    }

    @Test
    void numbersParseToTheSameFloatAsTheJdk() {
        Random r = new Random(3);
        CsvFormat f = new CsvFormat(2, 0, 0);
        List<String> samples = new ArrayList<>(List.of("0", "-0", "1e10", "3.4028235e38", "1.17549435E-38", "4.9e-324",
                "123456789012345678901234", "0.1", "-7.000", ".5", "5.", "+2"));
        for (int i = 0; i < 2000; i++) {
            samples.add(Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20)));
            samples.add(Float.toString((float) r.nextGaussian()));
            samples.add(Integer.toString(r.nextInt(256)));
        }
        for (String s : samples) {
            assertEquals((float) Double.parseDouble(s), parse(f, "1," + s).values()[0], s);
        }
    }

    @Test
    void csvNamesWhatIsWrong() {
        CsvFormat f = new CsvFormat(3, 0, 10);
        assertTrue(problem(f, "1,2").contains("has 2 columns, expected 3"));
        assertTrue(problem(f, "1,2,3,4").contains("has 4 columns, expected 3"));
        assertTrue(problem(f, "1,abc,3").contains("column 2 'abc' is not a finite number"));
        assertTrue(problem(f, "1,NaN,3").contains("not a finite number"), "NaN is no number here");
        assertTrue(problem(f, "1,0x10,3").contains("not a finite number"), "no hex");
        assertTrue(problem(f, "1,2f,3").contains("not a finite number"), "no Java suffixes");
        assertTrue(problem(f, "1,,3").contains("column 2 '' is not a finite number"));
        assertTrue(problem(f, "10,1,2").contains("label 10 is outside the 10 classes 0..9"));
        assertTrue(problem(f, "-1,1,2").contains("is not a class"));
        assertTrue(problem(f, "1.5,1,2").contains("is not a class"));
        assertTrue(problem(f, "cat,1,2").contains("label 'cat' is not a number"));
    }

    @Test
    void libsvmReadsZeroAndOneBasedIndicesAndComments() {
        LibSvmFormat f = new LibSvmFormat(0, -1, "any");
        ParsedLine p = parse(f, "2 1:0.5 3:-1\t4:2e0  # a comment");
        assertEquals(2, p.label());
        assertArrayEquals(new float[] {0.5f, 0, -1, 2}, dense(p, 4, 1), "one-based");
        p = parse(f, "+1 0:3 2:4");
        assertEquals(1, p.label());
        assertArrayEquals(new float[] {3, 0, 4}, dense(p, 3, 0), "zero-based");
        assertEquals(0, parse(f, "0").count(), "a row of zeros");
        byte[] comment = "# only a comment".getBytes(StandardCharsets.US_ASCII);
        assertFalse(f.parse(comment, 0, comment.length, new ParsedLine()));
    }

    @Test
    void libsvmNamesWhatIsWrong() {
        LibSvmFormat f = new LibSvmFormat(3, 9, "1..9 (one-based)");
        assertTrue(problem(f, "1 3").contains("pair '3' is not index:value"));
        assertTrue(problem(f, "1 a:3").contains("the index is not an integer >= 0"));
        assertTrue(problem(f, "1 -2:3").contains("the index is not an integer >= 0"));
        assertTrue(problem(f, "1 2:x").contains("the value is not a finite number"));
        assertTrue(problem(f, "1 2:").contains("the value is not a finite number"));
        assertTrue(problem(f, "1 4:1 2:1").contains("index 2 follows index 4"));
        assertTrue(problem(f, "1 2:1 2:1").contains("strictly ascending"));
        assertTrue(problem(f, "1 10:1").contains("index 10 is out of range: allowed 1..9 (one-based)"));
        assertTrue(problem(f, "3 1:1").contains("label 3 is outside the 3 classes"));
    }

    private Path write(String name, String content) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.US_ASCII);
        return p;
    }

    /** Labels of the examples of bytes [start, end). */
    private static List<Integer> labels(Path file, long start, long end, boolean header) {
        List<Integer> out = new ArrayList<>();
        new TextChunk(0, start, end).read(Locations.localFile(file), header, new CsvFormat(2, 0, 0), (p, off) -> {
            out.add(p.label());
            return true;
        });
        return out;
    }

    @Test
    void rangesCutAnywhereReadEveryLineOnce() throws Exception {
        StringBuilder sb = new StringBuilder("label,x\r\n");
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sb.append(i).append(',').append(i * 0.5).append(i % 7 == 0 ? "\r\n" : "\n");
            if (i % 11 == 0) {
                sb.append("\n"); // blank lines hold nothing
            }
            expected.add(i);
        }
        sb.setLength(sb.length() - 1); // the last line without its newline
        Path file = write("cut.csv", sb.toString());
        long size = Files.size(file);
        assertEquals(expected, labels(file, 0, size, true));
        for (long a = 0; a <= size; a += 2) {
            for (long b = a; b <= size; b += 11) {
                List<Integer> all = new ArrayList<>(labels(file, 0, a, true));
                all.addAll(labels(file, a, b, true));
                all.addAll(labels(file, b, size, true));
                assertEquals(expected, all, "cut at " + a + " and " + b);
            }
        }
    }

    @Test
    void aBadLineIsNamedByFileAndLineWhereverTheRangeStarts() throws Exception {
        Path file = write("bad.csv", "1,2\n3,4\n\n5,x\n6,7\n");
        DatasetException e = assertThrows(DatasetException.class, () -> labels(file, 9, 100, false));
        assertTrue(e.getMessage().startsWith(file + ", line 4: column 2 'x' is not a finite number"), e.getMessage());
        assertEquals(List.of(1, 3), labels(file, 0, 8, false), "the bad line is not in this range");
    }
}
