package io.lamina.datasets.text;

/**
 * LibSVM / SVMlight lines: {@code label index:value index:value ...}, separated by spaces or tabs,
 * indices integers in strictly ascending order, anything after {@code #} a comment. Zero-based and
 * one-based files both parse; which one a file is, and so how many features it has, is decided
 * from all of its indices (see {@code maxIndex}).
 */
public final class LibSvmFormat implements LineFormat {
    private static final long serialVersionUID = 1L;

    private final int classes;
    private final int maxIndex;
    private final String indexRange;

    /**
     * @param classes    labels must be below this; 0 = any label >= 0
     * @param maxIndex   the largest index allowed, or -1 for any
     * @param indexRange how the allowed indices read in a message, e.g. "1..784 (one-based, --features 784)"
     */
    public LibSvmFormat(int classes, int maxIndex, String indexRange) {
        this.classes = classes;
        this.maxIndex = maxIndex;
        this.indexRange = indexRange;
    }

    @Override
    public boolean parse(byte[] b, int from, int to, ParsedLine out) {
        for (int i = from; i < to; i++) {
            if (b[i] == '#') {
                to = i;
                break;
            }
        }
        int i = skipSpace(b, from, to);
        if (i == to) {
            return false;
        }
        int end = token(b, i, to);
        out.parseLabel(b, i, end, classes);
        out.sparse = true;
        out.count = 0;
        int previous = -1;
        for (i = skipSpace(b, end, to); i < to; i = skipSpace(b, end, to)) {
            end = token(b, i, to);
            int colon = -1;
            for (int k = i; k < end; k++) {
                if (b[k] == ':') {
                    colon = k;
                    break;
                }
            }
            if (colon < 0) {
                throw new LineProblem("pair " + Numbers.show(b, i, end) + " is not index:value");
            }
            int index = index(b, i, colon);
            if (index < 0) {
                throw new LineProblem("pair " + Numbers.show(b, i, end) + ": the index is not an integer >= 0");
            }
            if (index <= previous) {
                throw new LineProblem("index " + index + " follows index " + previous
                        + ": indices must be in strictly ascending order");
            }
            if (maxIndex >= 0 && index > maxIndex) {
                throw new LineProblem("index " + index + " is out of range: allowed " + indexRange);
            }
            double v = Numbers.parse(b, colon + 1, end);
            if (Double.isNaN(v)) {
                throw new LineProblem("pair " + Numbers.show(b, i, end) + ": the value is not a finite number");
            }
            out.add(index, (float) v);
            previous = index;
        }
        return true;
    }

    /** Digits only, below 2^31 - 1; -1 otherwise. */
    private static int index(byte[] b, int from, int to) {
        if (from == to || to - from > 10) {
            return -1;
        }
        long v = 0;
        for (int k = from; k < to; k++) {
            if (b[k] < '0' || b[k] > '9') {
                return -1;
            }
            v = v * 10 + (b[k] - '0');
        }
        return v < Integer.MAX_VALUE ? (int) v : -1;
    }

    private static int skipSpace(byte[] b, int i, int to) {
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int token(byte[] b, int i, int to) {
        while (i < to && b[i] != ' ' && b[i] != '\t') {
            i++;
        }
        return i;
    }
}
