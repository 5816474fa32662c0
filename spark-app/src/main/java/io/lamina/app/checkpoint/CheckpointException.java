package io.lamina.app.checkpoint;

/** A run cannot be resumed: no checkpoint, an unreadable one, or one of another configuration. */
public final class CheckpointException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }
}
