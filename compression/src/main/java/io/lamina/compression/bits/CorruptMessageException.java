package io.lamina.compression.bits;

/**
 * Bytes on the wire that cannot be a valid message: a length, count or index out of range,
 * unsorted indices, a truncated stream. Thrown instead of allocating or returning wrong values.
 */
public class CorruptMessageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CorruptMessageException(String message) {
        super(message);
    }

    public CorruptMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
