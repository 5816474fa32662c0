package io.lamina.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * spark-app's class path (the production jar's) has no parameter server: {@code lamina bench
 * --shared-training-master} says in one line that the baseline needs the bench jar and where it is.
 */
class ParameterServerBaselineTest {

    @Test
    void theProductionClassPathHasNoParameterServer() {
        assertTrue(ParameterServerBaseline.find().isEmpty());
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.aeron.Aeron"));
    }

    @Test
    void withoutTheBenchJarTheBenchSaysInOneLineWhatItNeeds() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertNull(BenchRunner.parameterServerBaseline(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        String said = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, said.lines().count(), said);
        assertTrue(said.startsWith("SharedTrainingMaster: left out: the parameter-server baseline needs the bench jar"),
                said);
        assertTrue(said.contains("spark-bench/target/lamina-spark-bench-*-bin.jar"), said);
        assertTrue(said.contains("submit-scripts/lamina.sh bench"), said);
    }
}
