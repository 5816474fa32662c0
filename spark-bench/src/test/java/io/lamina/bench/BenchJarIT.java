package io.lamina.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The bench jar (spark-bench's shaded -bin.jar) is the application plus DL4J's parameter server
 * and Aeron, with the SharedTrainingMaster baseline registered for {@code lamina bench}'s
 * ServiceLoader. Runs after {@code package} (failsafe).
 */
class BenchJarIT {

    @Test
    void carriesTheApplicationTheParameterServerAndTheRegisteredBaseline() throws IOException {
        Path jarPath;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jarPath = files.filter(f -> f.getFileName().toString().matches("lamina-spark-bench-.*-bin\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no lamina-spark-bench-*-bin.jar in target"));
        }
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            var services = jar.getEntry("META-INF/services/io.lamina.app.bench.ParameterServerBaseline");
            assertNotNull(services, "the baseline is registered");
            assertEquals("io.lamina.bench.SharedTrainingBaseline",
                    new String(jar.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8).trim());
            assertEquals("io.lamina.app.cli.LaminaCli", jar.getManifest().getMainAttributes().getValue("Main-Class"));
            for (String entry : new String[] {"io/lamina/bench/SharedTrainingBaseline.class",
                    "io/lamina/app/bench/BenchRunner.class",
                    "org/deeplearning4j/spark/parameterserver/training/SharedTrainingMaster.class",
                    "org/nd4j/parameterserver/distributed/conf/VoidConfiguration.class", "io/aeron/Aeron.class",
                    "org/agrona/DirectBuffer.class"}) {
                assertNotNull(jar.getEntry(entry), entry);
            }
        }
    }
}
