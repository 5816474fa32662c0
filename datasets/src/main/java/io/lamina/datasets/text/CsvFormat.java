package io.lamina.datasets.text;

/**
 * Comma-separated numbers, one example per line: {@code columns} fields, of which field
 * {@code labelColumn} (0-based) is the class and the others, in order, the features. Fields may
 * be surrounded by spaces; blank lines hold no example. A header line is skipped by the reader
 * ({@link TextChunk}), not here.
 */
public final class CsvFormat implements LineFormat {
    private static final long serialVersionUID = 1L;

    private final int columns;
    private final int labelColumn;
    private final int classes;

    /**
     * @param columns     fields per line (features + 1)
     * @param labelColumn the label's field, 0-based
     * @param classes     labels must be below this; 0 = any label >= 0
     */
    public CsvFormat(int columns, int labelColumn, int classes) {
        if (columns < 2 || labelColumn < 0 || labelColumn >= columns) {
            throw new IllegalArgumentException("need at least 2 columns and the label column in 0.." + (columns - 1)
                    + "; got " + columns + " columns, label column " + labelColumn);
        }
        this.columns = columns;
        this.labelColumn = labelColumn;
        this.classes = classes;
    }

    /** Fields on the line {@code b[from..to)} (1 for a blank line). */
    public static int countFields(byte[] b, int from, int to) {
        int n = 1;
        for (int i = from; i < to; i++) {
            if (b[i] == ',') {
                n++;
            }
        }
        return n;
    }

    public int features() {
        return columns - 1;
    }

    @Override
    public boolean parse(byte[] b, int from, int to, ParsedLine out) {
        if (isBlank(b, from, to)) {
            return false;
        }
        int fields = countFields(b, from, to);
        if (fields != columns) {
            throw new LineProblem("has " + fields + " columns, expected " + columns + " (as on the first line)");
        }
        if (out.values.length < columns - 1) {
            out.values = new float[columns - 1];
        }
        out.sparse = false;
        out.count = columns - 1;
        int field = 0;
        int j = 0;
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || b[i] == ',') {
                if (field == labelColumn) {
                    out.parseLabel(b, start, i, classes);
                } else {
                    double v = Numbers.parse(b, start, i);
                    if (Double.isNaN(v)) {
                        throw new LineProblem("column " + (field + 1) + " " + Numbers.show(b, start, i)
                                + " is not a finite number");
                    }
                    out.values[j++] = (float) v;
                }
                field++;
                start = i + 1;
            }
        }
        return true;
    }

    static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
