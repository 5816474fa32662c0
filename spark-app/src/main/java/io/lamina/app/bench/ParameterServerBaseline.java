package io.lamina.app.bench;

import io.lamina.app.model.Dl4jNet;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The bench's parameter-server baseline, DL4J's {@code SharedTrainingMaster} (threshold-encoded
 * updates over Aeron). It lives in the bench jar ({@code spark-bench}, artifact
 * {@code lamina-spark-bench}), not in the production jar, which then carries neither DL4J's
 * parameter server nor Aeron; {@code lamina bench} finds it through {@link ServiceLoader}.
 */
public interface ParameterServerBaseline {

    /** What {@code lamina bench} prints when the baseline was asked for but is not on the class path. */
    String MISSING = "SharedTrainingMaster: left out: the parameter-server baseline needs the bench jar"
            + " (spark-bench/target/lamina-spark-bench-*-bin.jar, built by `mvn -B -DskipTests package`;"
            + " submit-scripts/lamina.sh bench uses it when it exists), not the production jar";

    /** Samples/s over the measured epoch and the test accuracy after it. */
    record Result(double samplesPerSecond, double testAccuracy) {
    }

    /**
     * Trains {@code net} for a warm-up epoch and a measured epoch over {@code batches} in its own
     * local Spark context with {@code workers} threads, then evaluates it on {@code test}.
     *
     * @param batches minibatches of {@code batch} examples each
     */
    Result run(Dl4jNet net, List<DataSet> batches, DataSet test, int workers, int batch, PrintStream out);

    /** Cancels the Spark jobs of the run in progress, if any (its {@code run} then fails). */
    void abort();

    /** The baseline on the class path (the bench jar's), if any. */
    static Optional<ParameterServerBaseline> find() {
        return ServiceLoader.load(ParameterServerBaseline.class, ParameterServerBaseline.class.getClassLoader())
                .findFirst();
    }
}
