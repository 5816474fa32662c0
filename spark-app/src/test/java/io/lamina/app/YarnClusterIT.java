package io.lamina.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real YARN run: an in-process {@link MiniYARNCluster} (a ResourceManager and one NodeManager
 * launching real container processes), and {@code submit-scripts/submit-yarn.sh} submitting the
 * shaded jar to it with {@code --master yarn} in deploy mode client, with conf/yarn.conf as it
 * ships (authentication, RPC and disk encryption on). The application master and both executors
 * run in YARN containers started from the NodeManager's launch scripts, with Spark's jars from the
 * Maven repository ({@code spark.yarn.jars} as {@code local:} paths). Runs after {@code package}
 * (failsafe).
 */
class YarnClusterIT {

    @TempDir
    static Path tmp;

    private static MiniYARNCluster yarn;

    @BeforeAll
    static void startYarn() throws Exception {
        Configuration conf = new YarnConfiguration();
        // One NodeManager with room for the application master and two small executors
        // (2 x (512m heap + 896m overhead) + 256m AM + 384m overhead).
        conf.setInt("yarn.nodemanager.resource.memory-mb", 6144);
        conf.setInt("yarn.nodemanager.resource.cpu-vcores", 4);
        conf.setInt("yarn.scheduler.minimum-allocation-mb", 128);
        conf.setInt("yarn.scheduler.maximum-allocation-mb", 6144);
        // The capacity scheduler's one queue (no capacity-scheduler.xml here); it gives
        // application masters 10% of the cluster by default: too little for one here.
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        conf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 0.5f);
        // ND4J's native memory and the JVMs' virtual reservations would trip YARN's RSS and
        // virtual memory checks, which are about sharing a real machine's memory, not this test.
        conf.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
        conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
        // A nearly full disk must not mark the only node unhealthy.
        conf.setFloat("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", 99.9f);
        conf.setInt("yarn.nodemanager.disk-health-checker.min-free-space-per-disk-mb", 0);
        yarn = new MiniYARNCluster("YarnClusterIT", 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (yarn.getResourceManager().getRMContext().getRMNodes().isEmpty()
                || yarn.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
            assertTrue(System.nanoTime() < deadline, "the NodeManager did not register in 60 s");
            Thread.sleep(200);
        }
        // The cluster's effective configuration (with the ports it bound) is what clients read.
        Path confDir = Files.createDirectories(tmp.resolve("hadoop-conf"));
        for (String file : List.of("yarn-site.xml", "core-site.xml")) {
            try (OutputStream out = Files.newOutputStream(confDir.resolve(file))) {
                yarn.getConfig().writeXml(out);
            }
        }
    }

    @AfterAll
    static void stopYarn() {
        if (yarn != null) {
            yarn.stop();
        }
    }

    @Test
    void trainsWithCompressionOnYarn() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path out = tmp.resolve("run");
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", repo.resolve("submit-scripts/submit-yarn.sh").toString(),
                "--master", "yarn", "--deploy-mode", "client",
                "--conf", "spark.yarn.am.memory=256m",
                "--conf", "spark.yarn.stagingDir=" + tmp.resolve("staging").toUri(),
                "--", "train", "--model", "mlp", "--steps", "12", "--batch", "32", "--workers", "2",
                "--eval-every", "6", "--checksum-every", "4", "--compressor", "topk:0.05", "--memory", "residual",
                "--output", out.toString()));
        pb.environment().remove("SPARK_HOME"); // Spark from the Maven class path, as a developer has it
        pb.environment().put("HADOOP_CONF_DIR", tmp.resolve("hadoop-conf").toString());
        pb.environment().put("LAMINA_YARN_JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("LAMINA_EXECUTOR_MEMORY", "512m");
        pb.environment().put("LAMINA_EXECUTOR_OFFHEAP", "512m");
        pb.environment().put("LAMINA_DRIVER_MEMORY", "1g");
        pb.environment().put("LAMINA_DRIVER_OFFHEAP", "1g");
        Path log = tmp.resolve("submit.log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        boolean done = p.waitFor(5, TimeUnit.MINUTES); // ~1 min alone, ~2 min on a busy machine
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        String output = Files.readString(log) + diagnostics();
        assertTrue(done, "the YARN run did not finish in 5 minutes:\n" + output);
        assertEquals(0, p.exitValue(), output);
        System.out.printf("YarnClusterIT: spark-submit ran %.1f s%n", (System.nanoTime() - start) / 1e9);

        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        System.out.println("YarnClusterIT summary: " + summary);
        assertEquals("completed", summary.get("status").asText());
        assertEquals(12, summary.get("steps").asInt());
        assertEquals(0, summary.get("checksum_mismatches").asInt(), "replicas in the executor containers drifted");
        assertTrue(summary.get("test_accuracy").asDouble() > 0.2, "accuracy " + summary.get("test_accuracy"));
        assertTrue(summary.get("uplink_bytes").asLong() > 0);

        ApplicationReport app = finishedApplication();
        assertEquals("lamina-train", app.getName());
        assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus(), app.getDiagnostics());

        // The NodeManager ran the application master and two executors as containers, and the
        // executors' own logs show they ran Lamina's tasks.
        Path appLogs = Path.of(yarn.getNodeManager(0).getConfig().get(YarnConfiguration.NM_LOG_DIRS).split(",")[0])
                .resolve(app.getApplicationId().toString());
        List<Path> containers = list(appLogs);
        assertEquals(3, containers.size(), "containers of " + app.getApplicationId() + ": " + containers);
        long executorsThatRanTasks = containers.stream()
                .filter(c -> read(c.resolve("stderr")).contains("CoarseGrainedExecutorBackend")
                        && read(c.resolve("stderr")).contains("Running task"))
                .count();
        assertEquals(2, executorsThatRanTasks, "executor containers that ran tasks");
    }

    /** The one application the cluster ran, once YARN has recorded its end. */
    private static ApplicationReport finishedApplication() throws Exception {
        try (YarnClient client = YarnClient.createYarnClient()) {
            client.init(yarn.getConfig());
            client.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                List<ApplicationReport> apps = client.getApplications();
                assertEquals(1, apps.size(), "applications on the cluster: " + apps);
                if (apps.get(0).getYarnApplicationState() == YarnApplicationState.FINISHED) {
                    return apps.get(0);
                }
                assertTrue(System.nanoTime() < deadline, "the application did not finish: " + apps.get(0));
                Thread.sleep(200);
            }
        }
    }

    /** What YARN knows when a run fails: its applications and the end of each container's log. */
    private static String diagnostics() {
        StringBuilder text = new StringBuilder("\n--- YARN applications:\n");
        try (YarnClient client = YarnClient.createYarnClient()) {
            client.init(yarn.getConfig());
            client.start();
            client.getApplications().forEach(app -> text.append(app).append('\n'));
        } catch (Exception e) {
            text.append(e).append('\n');
        }
        Path logs = Path.of(yarn.getNodeManager(0).getConfig().get(YarnConfiguration.NM_LOG_DIRS).split(",")[0]);
        try (Stream<Path> files = Files.walk(logs)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                String log = read(f);
                text.append("--- ").append(f).append(":\n").append(log.substring(Math.max(0, log.length() - 4000)));
            });
        } catch (IOException e) {
            text.append(e).append('\n');
        }
        return text.toString();
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
