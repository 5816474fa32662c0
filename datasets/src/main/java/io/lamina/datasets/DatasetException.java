package io.lamina.datasets;

/**
 * A data set could not be read or is not what it claims to be. The message always names the
 * file (or folder) concerned and says what is wrong with it.
 */
public class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
