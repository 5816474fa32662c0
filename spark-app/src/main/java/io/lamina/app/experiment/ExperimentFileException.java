package io.lamina.app.experiment;

import java.nio.file.Path;

/**
 * An experiment file that cannot run: missing, not YAML, an unknown key, a wrong type, an invalid
 * value, an empty list. The message names the file, the key (e.g. {@code grid.compressor[1]}) and
 * what is allowed; it is thrown before any Spark work starts.
 */
public final class ExperimentFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String key;

    public ExperimentFileException(Path file, String key, String problem) {
        this(file, key, problem, null);
    }

    public ExperimentFileException(Path file, String key, String problem, Throwable cause) {
        super(file + (key == null ? "" : ": " + key) + ": " + problem, cause);
        this.file = file;
        this.key = key;
    }

    /** The experiment file. */
    public Path file() {
        return file;
    }

    /** Where in the file, e.g. {@code base.batch}, {@code grid.compressor[2]}, {@code run 'x=1'}; null for the whole file. */
    public String key() {
        return key;
    }
}
