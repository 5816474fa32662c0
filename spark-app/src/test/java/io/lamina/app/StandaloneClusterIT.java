package io.lamina.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real multi-process Spark standalone cluster (a Master and two Workers, each its own JVM, and
 * executors launched by the Workers), with the shaded jar submitted through spark-submit: the
 * replicas live in executor JVMs, so closures, broadcasts, Kryo registration and ND4J's native
 * code are exercised exactly as on a cluster, with authentication and RPC encryption on (the
 * refused side: {@link ClusterAuthenticationIT}). Runs after {@code package} (failsafe).
 */
class StandaloneClusterIT {

    @TempDir
    Path tmp;

    @Test
    void trainsWithCompressionOnAMultiProcessCluster() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path out = tmp.resolve("run");
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", repo.resolve("submit-scripts/standalone-cluster.sh").toString(),
                "--workers", "2", "--", "--model", "mlp", "--steps", "12", "--batch", "32", "--eval-every", "6",
                "--checksum-every", "4", "--compressor", "topk:0.05", "--memory", "residual",
                "--output", out.toString()));
        pb.environment().put("LAMINA_CLUSTER_DIR", tmp.resolve("cluster").toString());
        pb.environment().put("LAMINA_EXECUTOR_MEMORY", "768m");
        pb.environment().put("LAMINA_DRIVER_MEMORY", "1g");
        File log = tmp.resolve("submit.log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        Process p = pb.start();
        boolean done = p.waitFor(6, TimeUnit.MINUTES);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        String output = Files.readString(log.toPath());
        assertTrue(done, "the cluster run did not finish in 6 minutes:\n" + output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("standalone cluster at spark://127.0.0.1:"), output);
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("completed", summary.get("status").asText());
        assertEquals(12, summary.get("steps").asInt());
        assertEquals(0, summary.get("checksum_mismatches").asInt(), "replicas in executor JVMs drifted");
        assertTrue(summary.get("test_accuracy").asDouble() > 0.2, "accuracy " + summary.get("test_accuracy"));
        assertTrue(Files.size(out.resolve("model.zip")) > 100_000);
        // Two executors on two workers really ran the tasks.
        long executors;
        try (var dirs = Files.list(tmp.resolve("cluster/work"))) {
            executors = dirs.flatMap(app -> {
                try {
                    return Files.list(app);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).count();
        }
        assertEquals(2, executors, "executor folders under the workers' work dir");
        // The cluster authenticated every connection, with a secret only its user can read.
        String masterLog = Files.readString(tmp.resolve("cluster/logs/master.log"));
        assertTrue(masterLog.contains("SecurityManager: authentication enabled"), masterLog);
        assertEquals(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(tmp.resolve("cluster/conf/app.conf")));
        assertTrue(output.contains("authenticated and encrypted"), output);
    }
}
