package io.lamina.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The production jar (spark-app's shaded -bin.jar) carries no DL4J parameter server and no Aeron:
 * those are the bench jar's (spark-bench), for {@code lamina bench}'s SharedTrainingMaster
 * baseline only. Runs after {@code package} (failsafe).
 */
class ProductionJarIT {

    /** Package prefixes of DL4J's parameter server and of Aeron (and Agrona, Aeron's collections). */
    static final List<String> BENCH_ONLY = List.of("org/nd4j/parameterserver/",
            "org/deeplearning4j/spark/parameterserver/", "io/aeron/", "org/agrona/");

    static Path binJar(Path target, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.toString().endsWith("-bin.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + "*-bin.jar in " + target));
        }
    }

    @Test
    void hasTheApplicationAndNoParameterServer() throws IOException {
        try (JarFile jar = new JarFile(binJar(Path.of("target"), "lamina-spark-app-").toFile())) {
            List<String> bad = jar.stream().map(e -> e.getName())
                    .filter(n -> BENCH_ONLY.stream().anyMatch(n::startsWith)).limit(5).toList();
            assertEquals(List.of(), bad, "bench-only classes in the production jar");
            assertNotNull(jar.getEntry("io/lamina/app/cli/LaminaCli.class"));
            assertNotNull(jar.getEntry("io/lamina/app/bench/ParameterServerBaseline.class"));
            assertTrue(jar.getEntry("META-INF/services/io.lamina.app.bench.ParameterServerBaseline") == null,
                    "no parameter-server baseline is registered in the production jar");
            assertNotNull(jar.getEntry("org/deeplearning4j/spark/impl/paramavg/ParameterAveragingTrainingMaster.class"),
                    "dl4j-spark stays: the bench's ParameterAveraging baseline");
        }
    }
}
