package io.lamina.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What submit-standalone.sh, submit-yarn.sh and submit-k8s.sh hand spark-submit, read from their
 * {@code --dry-run} output (parsed back by bash, so the printed command is exactly what a shell
 * runs); and that docker/Dockerfile puts the jar where submit-k8s.sh says it is. Kubernetes cannot
 * run here, so this is how the Kubernetes path is tested. Runs after {@code package} (failsafe):
 * the commands name the shaded jar and the Spark class path.
 */
class SubmitScriptsIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String K8S_MASTER = "k8s://https://10.0.0.1:6443";
    private static final List<String> TRAIN = List.of("train", "--model", "mlp", "--steps", "12", "--compressor", "topk:0.05");

    @Test
    void k8sRunsTheImagesJarInClusterModeWithTheExecutorsJvmOptions() throws Exception {
        List<String> command = dryRun("submit-k8s.sh", Map.of(), concat(List.of("--master", K8S_MASTER,
                "--image", "registry.example/lamina:0.1", "--conf", "spark.kubernetes.namespace=ml", "--"), TRAIN));
        assertEquals("java", command.get(0), "without SPARK_HOME: SparkSubmit on the Maven class path");
        assertEquals("org.apache.spark.deploy.SparkSubmit", command.get(command.indexOf("-cp") + 2));
        assertEquals(K8S_MASTER, option(command, "--master"));
        assertEquals("cluster", option(command, "--deploy-mode"));
        assertEquals(REPO.resolve("conf/k8s.conf").toString(), option(command, "--properties-file"));
        Map<String, String> conf = confs(command);
        assertEquals("registry.example/lamina:0.1", conf.get("spark.kubernetes.container.image"));
        assertEquals("ml", conf.get("spark.kubernetes.namespace"), "the user's --conf is passed through");
        String executorOpts = conf.get("spark.executor.extraJavaOptions");
        assertTrue(executorOpts.contains("--add-modules=jdk.incubator.vector"), executorOpts);
        assertTrue(executorOpts.contains("-Dorg.bytedeco.javacpp.maxbytes=1024m"), executorOpts);
        assertTrue(executorOpts.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=3456m"), executorOpts);
        assertEquals("2g", conf.get("spark.executor.memory"));
        assertEquals("1408m", conf.get("spark.executor.memoryOverhead"), "1g off-heap + max(384m, 2g / 10)");
        assertEquals("1", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals(concat(List.of("--class", "io.lamina.app.cli.LaminaCli", "local:///opt/lamina/lamina-spark-app.jar"), TRAIN),
                command.subList(command.indexOf("--class"), command.size()), "the application and lamina's arguments, last");

        // The image holds the jar (and the log configuration the driver names) where the command says.
        String dockerfile = Files.readString(REPO.resolve("docker/Dockerfile"));
        Matcher from = Pattern.compile("(?m)^ARG SPARK_IMAGE=(\\S+)$").matcher(dockerfile);
        assertTrue(from.find() && from.group(1).equals("apache/spark:3.5.9-scala2.12-java17-ubuntu"), dockerfile);
        Map<String, String> copies = new LinkedHashMap<>();
        Matcher copy = Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+(\\S+)\\s*$").matcher(dockerfile);
        while (copy.find()) {
            copies.put(copy.group(2), copy.group(1));
        }
        assertEquals("spark-app/target/lamina-spark-app-*-bin.jar", copies.get("/opt/lamina/lamina-spark-app.jar"), copies.toString());
        assertTrue(conf.get("spark.driver.extraJavaOptions").contains("-Dlog4j2.configurationFile=/opt/lamina/conf/log4j2.properties"));
        assertEquals("conf/log4j2.properties", copies.get("/opt/lamina/conf/log4j2.properties"), copies.toString());
    }

    @Test
    void yarnWithoutSparkHomeShipsTheMavenJarsAsLocalPaths() throws Exception {
        List<String> command = dryRun("submit-yarn.sh", Map.of("HADOOP_CONF_DIR", "/etc/hadoop/conf",
                "LAMINA_EXECUTOR_MEMORY", "3g", "LAMINA_EXECUTOR_OFFHEAP", "2g", "LAMINA_YARN_JAVA_HOME", "/opt/jdk17"),
                concat(List.of("--num-executors", "4", "--"), TRAIN));
        assertEquals("java", command.get(0));
        String classpath = option(command, "-cp");
        assertTrue(classpath.contains("/spark-yarn_2.12-3.5.9.jar"), classpath);
        assertTrue(classpath.endsWith(":/etc/hadoop/conf"), "HADOOP_CONF_DIR on the class path, as bin/spark-submit does");
        assertTrue(command.contains("-Xmx4g"), "deploy mode client: this JVM is the driver");
        assertEquals("yarn", option(command, "--master"));
        assertEquals("client", option(command, "--deploy-mode"));
        assertEquals(REPO.resolve("conf/yarn.conf").toString(), option(command, "--properties-file"));
        assertEquals("4", option(command, "--num-executors"));
        Map<String, String> conf = confs(command);
        assertEquals("2432m", conf.get("spark.executor.memoryOverhead"), "2g off-heap + max(384m, 3g / 10)");
        assertTrue(conf.get("spark.executor.extraJavaOptions").contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=5504m"),
                "3g heap + 2432m overhead");
        assertEquals("/opt/jdk17", conf.get("spark.yarn.appMasterEnv.JAVA_HOME"));
        assertEquals("/opt/jdk17", conf.get("spark.executorEnv.JAVA_HOME"));
        List<String> yarnJars = Arrays.asList(conf.get("spark.yarn.jars").split(","));
        List<String> classpathJars = Arrays.asList(Files.readString(REPO.resolve("spark-dist/target/spark-classpath.txt")).strip().split(":"));
        assertEquals(classpathJars.stream().map(j -> "local:" + j).toList(), yarnJars);
        String jar = command.get(command.indexOf("--class") + 2);
        assertTrue(jar.matches(".*/spark-app/target/lamina-spark-app-.*-bin\\.jar") && Files.exists(Path.of(jar)), jar);
        assertEquals(TRAIN, command.subList(command.indexOf("--class") + 3, command.size()));
    }

    @Test
    void yarnWithSparkHomeUsesItsSparkSubmitAndItsJars() throws Exception {
        List<String> command = dryRun("submit-yarn.sh", Map.of("SPARK_HOME", "/opt/spark-3.5.9"), TRAIN);
        assertEquals("/opt/spark-3.5.9/bin/spark-submit", command.get(0));
        assertEquals("--master", command.get(1), "no JVM options: bin/spark-submit starts the driver");
        assertFalse(confs(command).containsKey("spark.yarn.jars"), "Spark's own jars/, or the cluster's spark.yarn.archive");
        assertTrue(confs(command).get("spark.driver.extraJavaOptions").contains("-Dlog4j2.configurationFile=" + REPO),
                "the client-mode driver gets its options through spark-submit");
        assertEquals(TRAIN, command.subList(command.indexOf("--class") + 3, command.size()), "lamina's arguments without --");
    }

    @Test
    void standaloneNeedsItsMasterAndPassesSparkSubmitOptionsThrough() throws Exception {
        Run missing = run("submit-standalone.sh", Map.of(), concat(List.of("--dry-run", "--"), TRAIN));
        assertEquals(2, missing.exit);
        assertTrue(missing.stderr.contains("--master spark://HOST:PORT"), missing.stderr);

        List<String> command = dryRun("submit-standalone.sh", Map.of("SPARK_HOME", "/opt/spark"),
                concat(List.of("--master", "spark://m1:7077", "--total-executor-cores", "4", "--conf", "spark.cores.max=4",
                        "--verbose", "--"), TRAIN));
        assertEquals("spark://m1:7077", option(command, "--master"));
        assertEquals("client", option(command, "--deploy-mode"));
        assertEquals("4", option(command, "--total-executor-cores"));
        assertEquals("4", confs(command).get("spark.cores.max"));
        assertTrue(command.indexOf("--verbose") < command.indexOf("--class"));
        assertEquals(REPO.resolve("conf/standalone.conf").toString(), option(command, "--properties-file"));
    }

    @Test
    void wrongInputFailsWithTheReason() throws Exception {
        Run noImage = run("submit-k8s.sh", Map.of(), concat(List.of("--dry-run", "--master", K8S_MASTER, "--"), TRAIN));
        assertEquals(2, noImage.exit);
        assertTrue(noImage.stderr.contains("--image"), noImage.stderr);
        Run clientOnK8s = run("submit-k8s.sh", Map.of(), concat(List.of("--dry-run", "--master", K8S_MASTER, "--image", "i",
                "--deploy-mode", "client", "--"), TRAIN));
        assertEquals(2, clientOnK8s.exit);
        assertTrue(clientOnK8s.stderr.contains("--deploy-mode cluster only"), clientOnK8s.stderr);
        Run notYarn = run("submit-yarn.sh", Map.of(), concat(List.of("--dry-run", "--master", "local[2]", "--"), TRAIN));
        assertEquals(2, notYarn.exit);
        assertTrue(notYarn.stderr.contains("not 'local[2]'"), notYarn.stderr);
        Run noSubcommand = run("submit-yarn.sh", Map.of(), List.of("--dry-run", "--num-executors", "2"));
        assertEquals(2, noSubcommand.exit);
        assertTrue(noSubcommand.stderr.contains("no lamina subcommand"), noSubcommand.stderr);
        Run badSize = run("submit-yarn.sh", Map.of("LAMINA_EXECUTOR_MEMORY", "lots"), concat(List.of("--dry-run"), TRAIN));
        assertEquals(2, badSize.exit);
        assertTrue(badSize.stderr.contains("LAMINA_EXECUTOR_MEMORY=lots is not a size"), badSize.stderr);
        Run help = run("submit-yarn.sh", Map.of(), List.of("--help"));
        assertEquals(0, help.exit);
        assertTrue(help.stdout.contains("LAMINA_EXECUTOR_OFFHEAP") && !help.stdout.contains("set -euo"), help.stdout);
    }

    /** The templates hold the same sizes and JVM options as the scripts' defaults. */
    @Test
    void templatesAgreeWithTheScriptsDefaults() throws Exception {
        Map<String, List<String>> runs = Map.of(
                "standalone", List.of("submit-standalone.sh", "--master", "spark://m1:7077", "--deploy-mode", "cluster"),
                "yarn", List.of("submit-yarn.sh", "--deploy-mode", "cluster"),
                "k8s", List.of("submit-k8s.sh", "--master", K8S_MASTER, "--image", "i"));
        for (var entry : runs.entrySet()) {
            Properties template = new Properties();
            try (var in = Files.newBufferedReader(REPO.resolve("conf/" + entry.getKey() + ".conf"), StandardCharsets.UTF_8)) {
                template.load(in);
            }
            List<String> script = entry.getValue();
            Map<String, String> conf = confs(dryRun(script.get(0), Map.of(), concat(script.subList(1, script.size()), TRAIN)));
            int compared = 0;
            for (var c : conf.entrySet()) {
                if (template.containsKey(c.getKey())) {
                    assertEquals(template.getProperty(c.getKey()), c.getValue(), entry.getKey() + ".conf: " + c.getKey());
                    compared++;
                }
            }
            assertEquals(7, compared, entry.getKey() + ".conf: driver and executor memory, overhead and options, OMP threads");
            assertEquals("true", template.getProperty("spark.authenticate"), entry.getKey());
            assertEquals("true", template.getProperty("spark.network.crypto.enabled"), entry.getKey());
            assertEquals("true", template.getProperty("spark.io.encryption.enabled"), entry.getKey());
        }
    }

    // ---- helpers ----

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run run(String script, Map<String, String> env, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", REPO.resolve("submit-scripts/" + script).toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        for (String name : List.of("SPARK_HOME", "HADOOP_CONF_DIR", "YARN_CONF_DIR", "LAMINA_MASTER", "LAMINA_IMAGE",
                "LAMINA_CONF", "LAMINA_EXECUTOR_MEMORY", "LAMINA_EXECUTOR_OFFHEAP", "LAMINA_DRIVER_MEMORY",
                "LAMINA_DRIVER_OFFHEAP", "LAMINA_YARN_JAVA_HOME", "LAMINA_YARN_JARS", "LAMINA_DRY_RUN")) {
            pb.environment().remove(name);
        }
        pb.environment().putAll(env);
        Path out = Files.createTempFile("submit", ".out");
        Path err = Files.createTempFile("submit", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), script + " did not finish");
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    /** The command a dry run prints, split into arguments by bash itself. */
    private static List<String> dryRun(String script, Map<String, String> env, List<String> args) throws Exception {
        Run run = run(script, env, concat(List.of("--dry-run"), args));
        assertEquals(0, run.exit, run.stderr);
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "eval \"set -- $1\"; printf '%s\\0' \"$@\"", "_", run.stdout);
        Process p = pb.redirectErrorStream(true).start();
        String words = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        return Arrays.asList(words.substring(0, words.length() - 1).split("\0", -1));
    }

    private static String option(List<String> command, String name) {
        int i = command.indexOf(name);
        assertTrue(i >= 0 && i + 1 < command.size(), name + " missing in " + command);
        return command.get(i + 1);
    }

    /** Every --conf key=value of the command, the last one winning as in spark-submit. */
    private static Map<String, String> confs(List<String> command) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (int i = 0; i < command.indexOf("--class"); i++) {
            if (command.get(i).equals("--conf")) {
                String[] kv = command.get(i + 1).split("=", 2);
                conf.put(kv[0], kv[1]);
            }
        }
        return conf;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
