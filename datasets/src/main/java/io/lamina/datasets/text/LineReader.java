package io.lamina.datasets.text;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Lines of a byte stream without decoding them to strings: after {@link #next()}, the line is
 * {@code buf()[start() .. end())} (no {@code \n}, no trailing {@code \r}) and began at byte
 * {@link #offset()} of the file. Lines may be of any length (the buffer grows).
 */
final class LineReader {
    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    /** File offset of {@code buf[0]}. */
    private long bufOffset;
    private boolean eof;
    private int lineStart;
    private int lineEnd;
    /** Whether the current line ended with a newline (the last line of a stream may not). */
    private boolean terminated;

    /** Reads {@code in}, whose first byte is byte {@code offset} of the file. */
    LineReader(InputStream in, long offset) {
        this.in = in;
        this.bufOffset = offset;
    }

    /** Moves to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        int scan = pos;
        while (true) {
            for (int i = scan; i < limit; i++) {
                if (buf[i] == '\n') {
                    setLine(pos, i);
                    pos = i + 1;
                    terminated = true;
                    return true;
                }
            }
            scan = limit;
            if (eof) {
                if (pos < limit) { // a last line without '\n'
                    setLine(pos, limit);
                    pos = limit;
                    terminated = false;
                    return true;
                }
                return false;
            }
            scan -= compactAndFill();
        }
    }

    /** Skips to just after the next {@code '\n'}; false if the stream ends first. */
    boolean skipPastNewline() throws IOException {
        return next() && terminated;
    }

    byte[] buf() {
        return buf;
    }

    int start() {
        return lineStart;
    }

    int end() {
        return lineEnd;
    }

    /** File offset of the current line's first byte. */
    long offset() {
        return bufOffset + lineStart;
    }

    /** File offset of the first byte not yet returned. */
    long position() {
        return bufOffset + pos;
    }

    private void setLine(int from, int newline) {
        lineStart = from;
        lineEnd = newline > from && buf[newline - 1] == '\r' ? newline - 1 : newline;
    }

    /** Moves the unread bytes to the front, grows if full, reads more; returns how far bytes moved. */
    private int compactAndFill() throws IOException {
        int shift = pos;
        if (shift > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            bufOffset += pos;
            pos = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
        return shift;
    }
}
