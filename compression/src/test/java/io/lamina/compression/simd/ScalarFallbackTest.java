package io.lamina.compression.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without {@code --add-modules=jdk.incubator.vector} (a notebook, a cluster whose
 * executors miss the option) takes the scalar paths, never touches the Vector API classes, and
 * encodes exactly the bytes this JVM's vector paths do.
 */
class ScalarFallbackTest {

    @Test
    void jvmWithoutTheModuleEncodesTheSameBytes() throws IOException, InterruptedException {
        assertTrue(Simd.ENABLED, "this test JVM should run the vector kernels: " + Simd.describe());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                EncodedDigests.class.getName()))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.strip().split("\n");
        assertTrue(lines[0].startsWith("scalar (start the JVM with --add-modules=jdk.incubator.vector"), out);
        assertEquals(EncodedDigests.digests(), lines[1], out);
    }
}
