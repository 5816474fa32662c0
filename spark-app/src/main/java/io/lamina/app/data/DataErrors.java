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
        } catch (Exception e) { // Spark's job failures are checked SparkExceptions thrown from Scala
            DatasetException cause = find(e);
            if (cause != null) {
                throw new DatasetException(cause.getMessage(), e);
            }
            throw DataErrors.<RuntimeException>unchanged(e);
        }
    }

    /** Rethrows {@code e} as it is, checked or not (what Scala code already did). */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> E unchanged(Exception e) throws E {
        throw (E) e;
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
