package io.lamina.datasets.text;

import java.io.Serializable;

/** How one line of a text file becomes an example. Implementations are immutable. */
public interface LineFormat extends Serializable {
    /**
     * Parses {@code b[from..to)} into {@code out}.
     *
     * @return false for a line that holds no example (blank, or a comment)
     * @throws LineProblem saying what is wrong with the line
     */
    boolean parse(byte[] b, int from, int to, ParsedLine out);
}
