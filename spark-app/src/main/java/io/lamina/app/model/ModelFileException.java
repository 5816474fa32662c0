package io.lamina.app.model;

/**
 * A model file that cannot be used: missing, neither JSON nor a zip, JSON that is not a DL4J
 * configuration, a zip without one. The message names the file. An {@link IllegalArgumentException},
 * so {@code lamina train} reports it as bad input (exit 2) before Spark starts.
 */
public final class ModelFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ModelFileException(String message) {
        super(message);
    }

    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
