package io.lamina.datasets.text;

/**
 * Decimal numbers parsed straight from ASCII bytes. Plain decimals ({@code -12}, {@code 0.5},
 * {@code 3.25e-2}) with up to 18 significant digits take a fast exact path; anything longer goes
 * through {@link Double#parseDouble}. Either way the value is the correctly rounded double, then
 * rounded to float, so both paths give the same bits. Hex, {@code NaN}, {@code Infinity} and
 * Java's {@code d}/{@code f} suffixes are not numbers here.
 */
final class Numbers {
    /** Powers of ten that are exact doubles. */
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private Numbers() {
    }

    /** The number in {@code b[from..to)} (surrounding spaces allowed), or NaN if it is not a finite number. */
    static double parse(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) {
            from++;
        }
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) {
            to--;
        }
        if (from == to) {
            return Double.NaN;
        }
        int i = from;
        boolean negative = b[i] == '-';
        if (b[i] == '-' || b[i] == '+') {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fraction = 0;
        boolean any = false;
        boolean dot = false;
        for (; i < to; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                any = true;
                if (digits < 18) {
                    if (mantissa != 0 || c != '0') {
                        digits++;
                    }
                    mantissa = mantissa * 10 + (c - '0');
                    if (dot) {
                        fraction++;
                    }
                } else {
                    return slow(b, from, to);
                }
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (!any) {
            return Double.NaN;
        }
        int exponent = 0;
        if (i < to) {
            if (b[i] != 'e' && b[i] != 'E') {
                return Double.NaN;
            }
            i++;
            boolean negExp = i < to && b[i] == '-';
            if (i < to && (b[i] == '-' || b[i] == '+')) {
                i++;
            }
            if (i == to) {
                return Double.NaN;
            }
            for (; i < to; i++) {
                byte c = b[i];
                if (c < '0' || c > '9') {
                    return Double.NaN;
                }
                if (exponent < 10_000) {
                    exponent = exponent * 10 + (c - '0');
                }
            }
            exponent = negExp ? -exponent : exponent;
        }
        int scale = exponent - fraction;
        double v;
        if (mantissa == 0) {
            v = 0;
        } else if (scale >= 0 && scale < POW10.length && mantissa < (1L << 53)) {
            v = mantissa * POW10[scale]; // both exact: one correctly rounded product
        } else if (scale < 0 && -scale < POW10.length && mantissa < (1L << 53)) {
            v = mantissa / POW10[-scale]; // both exact: one correctly rounded quotient
        } else {
            return slow(b, from, to);
        }
        return negative ? -v : v;
    }

    private static double slow(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return Double.NaN;
            }
        }
        try {
            double v = Double.parseDouble(new String(b, from, to - from, java.nio.charset.StandardCharsets.US_ASCII));
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Text of {@code b[from..to)} for messages, cut to 40 characters. */
    static String show(byte[] b, int from, int to) {
        String s = new String(b, from, Math.min(to - from, 40), java.nio.charset.StandardCharsets.UTF_8).trim();
        return "'" + s + (to - from > 40 ? "...'" : "'");
    }
}
