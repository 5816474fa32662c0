package io.lamina.app.spark;

/**
 * The Spark context Lamina created did not start: the cluster manager refused the application
 * (a standalone master with {@code spark.authenticate} and a secret the application lacks) or
 * never answered. The message says which master and what to check.
 */
public final class SparkStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SparkStartException(String message) {
        super(message);
    }
}
