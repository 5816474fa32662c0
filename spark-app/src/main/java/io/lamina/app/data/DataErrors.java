package io.lamina.app.data;

import io.lamina.datasets.DatasetException;
import java.util.function.Supplier;

/**
 * Data errors found on the executors reach the driver wrapped in Spark's job failure (its message
 * a stack trace); this finds the {@link DatasetException} inside, so the user reads the file and
 * the line, not the soup.
 */
public final class DataErrors {
    private DataErrors() {
    }

    /** Runs {@code job}; a failure caused by a {@link DatasetException} is rethrown as that exception. */
    public static <T> T unwrapped(Supplier<T> job) {
        try {
            return job.get();
        } catch (RuntimeException e) {
            DatasetException cause = find(e);
            throw cause != null ? new DatasetException(cause.getMessage(), e) : e;
        }
    }

    /** {@link #unwrapped(Supplier)} for a job with no result. */
    public static void unwrapped(Runnable job) {
        unwrapped(() -> {
            job.run();
            return null;
        });
    }

    /** The first {@link DatasetException} in {@code t}'s cause chain, or null. */
    public static DatasetException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof DatasetException d) {
                return d;
            }
        }
        return null;
    }
}
