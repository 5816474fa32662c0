package io.lamina.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.app.cli.LaminaCli;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone cluster of {@code submit-scripts/standalone-cluster.sh} authenticates: started
 * once ({@code start}, one Worker), it is given three applications at the same time; the one with
 * the cluster's properties file (its secret) trains, the one without {@code spark.authenticate}
 * and the one with another secret are refused: each ends with exit code 4 and Lamina's one-line
 * reason once Spark gives up registering (three attempts 20 s apart), with Spark's authentication
 * error in its log. The secret never shows in {@code ps}. Runs after {@code package} (failsafe).
 */
class ClusterAuthenticationIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    static Path tmp;
    private static Path clusterDir;
    private static String masterUrl;
    private static Path appProperties;

    @BeforeAll
    static void startCluster() throws Exception {
        File out = tmp.resolve("start.out").toFile();
        ProcessBuilder pb = new ProcessBuilder("bash", REPO.resolve("submit-scripts/standalone-cluster.sh").toString(),
                "start", "--workers", "1");
        pb.environment().put("LAMINA_CLUSTER_DIR", tmp.resolve("cluster").toString());
        pb.environment().put("LAMINA_EXECUTOR_MEMORY", "768m");
        pb.redirectOutput(out).redirectError(tmp.resolve("start.err").toFile());
        Process p = pb.start();
        clusterDir = tmp.resolve("cluster"); // set before waiting, so that stopCluster cleans up after a failure
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the cluster did not start in 3 minutes");
        String err = Files.readString(tmp.resolve("start.err"));
        assertEquals(0, p.exitValue(), err);
        Map<String, String> printed = Files.readAllLines(out.toPath()).stream().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
        masterUrl = printed.get("MASTER_URL");
        appProperties = Path.of(printed.get("SPARK_PROPERTIES"));
        assertEquals(clusterDir.toRealPath().toString(), printed.get("CLUSTER_DIR"));
        assertTrue(masterUrl.startsWith("spark://127.0.0.1:"), masterUrl);
        assertTrue(err.contains("authenticated and encrypted"), err);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (clusterDir == null || !Files.exists(clusterDir.resolve("pids"))) {
            return;
        }
        List<Long> pids = Files.readAllLines(clusterDir.resolve("pids")).stream().map(Long::parseLong).toList();
        Process p = new ProcessBuilder("bash", REPO.resolve("submit-scripts/standalone-cluster.sh").toString(), "stop",
                clusterDir.toString()).inheritIO().start();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), "stop did not finish");
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "daemon " + pid + " still runs");
        }
    }

    @Test
    void onlyTheApplicationWithTheClustersSecretRuns() throws Exception {
        String props = Files.readString(appProperties);
        String secret = props.lines().filter(l -> l.startsWith("spark.authenticate.secret ")).findFirst().orElseThrow()
                .substring("spark.authenticate.secret ".length()).trim();
        assertEquals(64, secret.length(), "32 random bytes in hex");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(appProperties), "only its user may read the secret");
        Path noSecret = tmp.resolve("no-secret.conf");
        Files.writeString(noSecret, props.lines().filter(l -> !l.startsWith("spark.authenticate")
                && !l.startsWith("spark.network.crypto")).collect(Collectors.joining("\n", "", "\n")));
        Path otherSecret = tmp.resolve("other-secret.conf");
        Files.writeString(otherSecret, props.replace(secret, "0".repeat(64)));

        List<Submitted> apps = new ArrayList<>();
        apps.add(submit("with-secret", appProperties));
        apps.add(submit("no-secret", noSecret));
        apps.add(submit("other-secret", otherSecret));
        Thread.sleep(5_000);
        String ps = new String(new ProcessBuilder("ps", "-eo", "args").start().getInputStream().readAllBytes());
        assertFalse(ps.contains(secret), "the secret is on a command line");
        for (Submitted app : apps) {
            app.await();
        }

        Submitted good = apps.get(0);
        assertEquals(0, good.exit, good.log());
        JsonNode summary = new ObjectMapper().readTree(tmp.resolve("with-secret/summary.json").toFile());
        assertEquals("completed", summary.get("status").asText());
        assertEquals(6, summary.get("steps").asInt());

        for (Submitted refused : apps.subList(1, 3)) {
            String log = refused.log();
            assertEquals(LaminaCli.EXIT_SPARK_REFUSED, refused.exit, refused.name + ":\n" + log);
            assertTrue(log.contains("lamina train: the Spark master " + masterUrl + " did not accept the application"),
                    refused.name + ":\n" + log);
            assertTrue(log.contains("All masters are unresponsive! Giving up."), refused.name + ":\n" + log);
            assertFalse(Files.exists(tmp.resolve(refused.name).resolve("summary.json")), refused.name);
            // Spark gives up after its three registration attempts, 20 s apart: about a minute.
            assertTrue(refused.seconds < 150, refused.name + " took " + refused.seconds + " s");
        }
        // Spark's own word for why: the master's handler wants an authentication message first; with
        // another secret the authentication handshake (the client's bootstrap) fails.
        assertTrue(apps.get(1).log().contains("Expected SaslMessage"), apps.get(1).log());
        assertTrue(apps.get(2).log().contains("Exception while bootstrapping client"), apps.get(2).log());
    }

    private Submitted submit(String name, Path properties) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", REPO.resolve("submit-scripts/lamina.sh").toString(), "train",
                "--workers", "1", "--model", "mlp", "--steps", "6", "--batch", "32",
                "--output", tmp.resolve(name).toString());
        pb.environment().put("LAMINA_MASTER", masterUrl);
        pb.environment().put("LAMINA_SPARK_PROPERTIES", properties.toString());
        pb.environment().put("LAMINA_DRIVER_MEMORY", "1g");
        Path log = tmp.resolve(name + ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return new Submitted(name, log, pb.start(), System.nanoTime());
    }

    /** One submitted application: its process, log and, once awaited, exit code and duration. */
    private static final class Submitted {
        final String name;
        final Path logFile;
        final Process process;
        final long start;
        final java.util.concurrent.CompletableFuture<Long> end;
        int exit = -1;
        double seconds;

        Submitted(String name, Path logFile, Process process, long start) {
            this.name = name;
            this.logFile = logFile;
            this.process = process;
            this.start = start;
            end = process.onExit().thenApply(p -> System.nanoTime());
        }

        void await() throws Exception {
            boolean done = process.waitFor(4, TimeUnit.MINUTES);
            if (done) {
                seconds = (end.join() - start) / 1e9;
            } else {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
            }
            assertTrue(done, name + " did not end in 4 minutes:\n" + log());
            exit = process.exitValue();
        }

        String log() throws IOException {
            return Files.readString(logFile);
        }
    }
}
