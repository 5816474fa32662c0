package io.lamina.datasets.text;

import io.lamina.datasets.DataFile;
import io.lamina.datasets.DatasetException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;

/**
 * The lines of a text file that start in the byte range {@code [start, end)}: cutting a file at
 * any byte offsets gives ranges whose lines are each read once, whole (a range that starts inside
 * a line leaves it to the range before). With {@code header}, the file's first line is no example.
 *
 * <p>A bad line raises a {@link DatasetException} naming the file and the line number (counted
 * from the start of the file, only then: errors are rare and ranges start anywhere).
 */
public record TextChunk(int file, long start, long end) implements Serializable {

    public TextChunk {
        if (file < 0 || start < 0 || end < start) {
            throw new IllegalArgumentException("bad chunk: file " + file + ", bytes " + start + ".." + end);
        }
    }

    /** What to do with each example; return false to stop reading. */
    public interface Sink {
        boolean accept(ParsedLine example, long offset) throws IOException;
    }

    /**
     * Parses the range's examples in order, handing each to {@code sink} (the {@link ParsedLine} is
     * reused: copy what you keep).
     *
     * @return the number of examples handed over
     */
    public long read(DataFile data, boolean header, LineFormat format, Sink sink) {
        ParsedLine parsed = new ParsedLine();
        long n = 0;
        try (InputStream in = data.open()) {
            LineReader lines = open(in, data.name());
            while (lines.next() && lines.offset() < end) {
                if (header && lines.offset() == 0) {
                    continue;
                }
                boolean example;
                try {
                    example = format.parse(lines.buf(), lines.start(), lines.end(), parsed);
                } catch (LineProblem p) {
                    throw new DatasetException(data.name() + ", line " + lineNumber(data, lines.offset()) + ": "
                            + p.getMessage());
                }
                if (example) {
                    n++;
                    if (!sink.accept(parsed, lines.offset())) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            throw new DatasetException(data.name() + ": cannot read bytes " + start + ".." + end + ": " + e, e);
        }
        return n;
    }

    private LineReader open(InputStream in, String name) throws IOException {
        if (start == 0) {
            return new LineReader(in, 0);
        }
        try {
            in.skipNBytes(start - 1);
        } catch (EOFException e) {
            throw new DatasetException(name + ": shorter than " + start + " bytes (did it change while being read?)");
        }
        LineReader lines = new LineReader(in, start - 1);
        lines.skipPastNewline(); // the line that crosses start belongs to the range before
        return lines;
    }

    /** 1-based number of the line that starts at byte {@code offset} of the file. */
    public static long lineNumber(DataFile data, long offset) {
        long line = 1;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = data.open()) {
            long left = offset;
            while (left > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    break;
                }
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        line++;
                    }
                }
                left -= r;
            }
        } catch (IOException e) {
            return -1;
        }
        return line;
    }
}
