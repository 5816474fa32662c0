package io.lamina.datasets.text;

/**
 * What is wrong with one line, without saying where: {@link TextChunk} adds the file and the line
 * number. No stack trace (thrown per bad line, caught one frame up).
 */
public final class LineProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LineProblem(String message) {
        super(message, null, false, false);
    }
}
