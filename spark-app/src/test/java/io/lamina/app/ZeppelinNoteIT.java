package io.lamina.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.app.notebook.NoteRepl;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code notebooks/lamina.zpln} as Zeppelin runs it: the note's {@code %spark.conf} settings are
 * applied the way Zeppelin's Spark interpreter launcher applies them (Spark settings to the
 * REPL's SparkConf, {@code spark.jars} to the class path, the driver's Java options and memory to
 * its JVM, upper-case keys to its environment), then its {@code %spark} paragraphs run in order,
 * one {@code interpret} call each, in Spark's own Scala REPL in a child JVM ({@link NoteRepl}),
 * on the REPL's own context ({@code local[2]}, Spark's default Java serializer, no registrator)
 * with Lamina only from the shaded jar and {@code z} recording every {@code z.show}. Every
 * paragraph must succeed; the tables shown must hold both runs with sensible figures. Runs after
 * {@code package} (failsafe).
 */
class ZeppelinNoteIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path NOTE = REPO.resolve("notebooks/lamina.zpln");
    private static final Set<String> INTERPRETERS = Set.of("%md", "%spark.conf", "%spark");
    private static final long TIMEOUT_SECONDS = 300;
    private static final List<String> COMPRESSORS = List.of("none", "topk:0.01");

    @TempDir
    Path tmp;

    /** One paragraph: its interpreter magic, the code after the magic's line, and its config. */
    record Paragraph(String id, String title, String magic, String code, JsonNode config) {
        long showCalls() {
            return code.split("z\\.show\\(", -1).length - 1;
        }
    }

    /** A z.show table as the note printed it (Zeppelin's %table: tab-separated header and rows). */
    record Table(List<String> header, List<Map<String, String>> rows) {
        double number(int row, String column) {
            return Double.parseDouble(rows.get(row).get(column));
        }
    }

    @Test
    void theNotesScalaParagraphsRunInOrderInSparksReplAndShowBothRuns() throws Exception {
        long start = System.nanoTime();
        List<Paragraph> note = readNote();
        Path jar = shadedJar();
        Properties conf = noteConf(note, jar);
        List<Paragraph> scala = note.stream().filter(p -> p.magic().equals("%spark")).toList();
        Path paragraphs = Files.createDirectories(tmp.resolve("paragraphs"));
        for (int i = 0; i < scala.size(); i++) {
            Files.writeString(paragraphs.resolve(String.format("%02d.scala", i + 1)), scala.get(i).code());
        }

        Path report = tmp.resolve("report");
        Path log = tmp.resolve("repl.log");
        long replStart = System.nanoTime();
        Process repl = startRepl(conf, jar, paragraphs, report, log);
        boolean done = repl.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            repl.descendants().forEach(ProcessHandle::destroyForcibly);
            repl.destroyForcibly();
            repl.waitFor(10, TimeUnit.SECONDS);
        }
        double replSeconds = (System.nanoTime() - replStart) / 1e9;
        assertTrue(done, "the REPL did not finish the note in " + TIMEOUT_SECONDS + " s (killed); its log ends:\n"
                + tail(log));

        // Every %spark paragraph ran, in order, and succeeded.
        List<String[]> ran = Files.exists(report.resolve("report.tsv"))
                ? Files.readAllLines(report.resolve("report.tsv")).stream().map(l -> l.split("\t")).toList()
                : List.of();
        for (String[] r : ran) {
            if (!r[1].equals("SUCCESS")) {
                fail("paragraph '" + scala.get(Integer.parseInt(r[0]) - 1).title() + "' ended " + r[1] + ":\n"
                        + Files.readString(report.resolve(r[0] + ".out")));
            }
        }
        assertEquals(scala.size(), ran.size(), "paragraphs run; the REPL's log ends:\n" + tail(log));
        assertEquals(0, repl.exitValue(), tail(log));

        List<Table> shown = shownTables(report);
        Properties context = new Properties();
        try (var r = Files.newBufferedReader(report.resolve("context.properties"))) {
            context.load(r);
        }
        printSummary(note, scala, ran, shown, context, replSeconds, (System.nanoTime() - start) / 1e9);

        checkContext(context, jar, Files.readString(report.resolve("01.out")));
        assertEquals(scala.stream().mapToLong(Paragraph::showCalls).sum(), shown.size(),
                "one table per z.show call in the note");
        checkChartSettings(scala, shown, report);
        checkSummary(table(shown, "compression_ratio"));
        checkEvaluations(shown.stream().filter(t -> t.header().equals(
                List.of("compressor", "step", "uplink_MB", "test_accuracy"))).toList(), table(shown, "compression_ratio"));
        checkSteps(table(shown, "loss"), table(shown, "compression_ratio"));
    }

    // ------------------------------------------------------------------ the note

    /** The note's paragraphs, after checking the fields Zeppelin's note format needs. */
    private static List<Paragraph> readNote() throws IOException {
        assertTrue(Files.isRegularFile(NOTE), NOTE + " is missing");
        JsonNode root = new ObjectMapper().readTree(NOTE.toFile());
        for (String field : List.of("name", "id", "config", "info", "paragraphs")) {
            assertTrue(root.has(field), "the note has no '" + field + "'");
        }
        List<Paragraph> paragraphs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode p : root.get("paragraphs")) {
            for (String field : List.of("id", "text", "config", "settings", "status")) {
                assertTrue(p.has(field), "a paragraph has no '" + field + "': " + p);
            }
            String id = p.get("id").asText();
            assertTrue(ids.add(id), "paragraph id " + id + " appears twice");
            String text = p.get("text").asText();
            int eol = text.indexOf('\n');
            String magic = (eol < 0 ? text : text.substring(0, eol)).trim();
            assertTrue(INTERPRETERS.contains(magic), "paragraph " + id + " starts with '" + magic + "', expected one of "
                    + INTERPRETERS);
            paragraphs.add(new Paragraph(id, p.path("title").asText(""), magic, eol < 0 ? "" : text.substring(eol + 1),
                    p.get("config")));
        }
        assertEquals(1, paragraphs.stream().filter(p -> p.magic().equals("%spark.conf")).count(), "%spark.conf paragraphs");
        int conf = IntStream.range(0, paragraphs.size()).filter(i -> paragraphs.get(i).magic().equals("%spark.conf"))
                .findFirst().orElseThrow();
        int firstScala = IntStream.range(0, paragraphs.size()).filter(i -> paragraphs.get(i).magic().equals("%spark"))
                .findFirst().orElse(-1);
        assertTrue(firstScala > conf, "the %spark.conf paragraph must come before the first %spark one");
        return paragraphs;
    }

    /**
     * The %spark.conf paragraph, parsed as Zeppelin's ConfInterpreter parses it (a Java properties
     * text), with spark.jars checked against the build and pointed at this checkout's jar.
     */
    private static Properties noteConf(List<Paragraph> note, Path jar) throws IOException {
        Properties conf = new Properties();
        conf.load(new StringReader(note.stream().filter(p -> p.magic().equals("%spark.conf")).findFirst()
                .orElseThrow().code()));
        String jars = conf.getProperty("spark.jars");
        assertNotNull(jars, "the note's %spark.conf sets no spark.jars");
        String expected = "/spark-app/target/" + jar.getFileName();
        assertTrue(jars.endsWith(expected), "the note's spark.jars is " + jars + "; the build makes ..." + expected);
        conf.setProperty("spark.jars", jar.toString()); // the user's /path/to/lamina is this checkout
        return conf;
    }

    private static Path shadedJar() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            List<Path> jars = s.filter(p -> p.getFileName().toString().matches("lamina-spark-app-.*-bin\\.jar")).toList();
            assertEquals(1, jars.size(), "the shaded jar in spark-app/target (run after package): " + jars);
            return jars.get(0).toAbsolutePath();
        }
    }

    // ------------------------------------------------------------------ the REPL's JVM

    /**
     * The interpreter's JVM as Zeppelin's launcher (through spark-submit) would start it: Spark's
     * module options, the driver's memory and Java options, the Spark settings as system properties
     * (what a fresh SparkConf reads), upper-case keys as environment variables. Its class path is
     * this test's minus everything built from this repository, plus the harness and the shaded jar.
     */
    private Process startRepl(Properties conf, Path jar, Path paragraphs, Path report, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptions().split("\\s+")));
        cmd.add("-Xmx" + conf.getProperty("spark.driver.memory", "1g"));
        String driverOptions = conf.getProperty("spark.driver.extraJavaOptions", "").trim();
        if (!driverOptions.isEmpty()) {
            cmd.addAll(Arrays.asList(driverOptions.split("\\s+")));
        }
        cmd.add("-Djava.io.tmpdir=" + Files.createDirectories(tmp.resolve("jvm-tmp")));
        Map<String, String> spark = new LinkedHashMap<>();
        conf.stringPropertyNames().stream().filter(k -> k.startsWith("spark.")).sorted()
                .forEach(k -> spark.put(k, conf.getProperty(k)));
        // The interpreter setting's, not the note's: two local workers, no UI to fight other builds for ports.
        spark.put("spark.master", "local[2]");
        spark.put("spark.ui.enabled", "false");
        spark.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, replClassPath(jar)));
        cmd.add(NoteRepl.class.getName());
        cmd.add(paragraphs.toString());
        cmd.add(report.toString());

        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("OMP_NUM_THREADS"); // must come from the note
        conf.stringPropertyNames().stream().filter(k -> k.matches("[A-Z_0-9]+"))
                .forEach(k -> pb.environment().put(k, conf.getProperty(k)));
        return pb.start();
    }

    private List<String> replClassPath(Path jar) throws IOException {
        String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cp = new ArrayList<>();
        for (String entry : testClassPath.split(File.pathSeparator)) {
            if (!entry.isBlank() && !Path.of(entry).toAbsolutePath().normalize().startsWith(REPO)) {
                cp.add(entry);
            }
        }
        cp.add(harnessClasses().toString());
        cp.add(jar.toString());
        return cp;
    }

    /** Only NoteRepl's package of the test classes (no Lamina class besides it reaches the REPL's JVM). */
    private Path harnessClasses() throws IOException {
        String pkg = NoteRepl.class.getPackageName().replace('.', '/');
        Path from = Path.of("target/test-classes").resolve(pkg);
        Path to = Files.createDirectories(tmp.resolve("harness").resolve(pkg));
        try (Stream<Path> classes = Files.list(from)) {
            for (Path c : classes.filter(p -> p.toString().endsWith(".class")).toList()) {
                Files.copy(c, to.resolve(c.getFileName()));
            }
        }
        return tmp.resolve("harness");
    }

    // ------------------------------------------------------------------ checks

    /** The note's settings reached the REPL's context and JVM, and the context is Spark's default kind. */
    private static void checkContext(Properties context, Path jar, String trainOutput) {
        assertEquals("local[2]", context.getProperty("master"));
        assertEquals("org.apache.spark.serializer.JavaSerializer", context.getProperty("serializer"));
        assertNull(context.getProperty("conf.spark.serializer"), "the REPL's context sets no serializer");
        assertNull(context.getProperty("conf.spark.kryo.registrator"));
        assertNotNull(context.getProperty("conf.spark.repl.class.outputDir"), "a context the REPL created itself");
        assertEquals(jar.toString(), context.getProperty("conf.spark.jars"));
        assertEquals("1", context.getProperty("conf.spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("1", context.getProperty("env.OMP_NUM_THREADS"), "OMP_NUM_THREADS of the interpreter process");
        for (String where : List.of("conf.spark.executor.extraJavaOptions", "jvm.options")) {
            String options = context.getProperty(where, "");
            assertTrue(options.contains("--add-modules=jdk.incubator.vector"), where + ": " + options);
            assertTrue(options.contains("-Dorg.bytedeco.javacpp.maxbytes="), where + ": " + options);
        }
        assertTrue(trainOutput.contains("compression kernels in this JVM:"), trainOutput);
        assertFalse(trainOutput.contains("start the JVM with --add-modules"), "the vector module is missing:\n"
                + trainOutput);
    }

    /**
     * A paragraph whose one output is a z.show table keeps its chart settings (Zeppelin's
     * config.results["0"].graph) for that table: nothing may print before it (else the table is not
     * result 0), and every column the chart names must be the table's column at that index.
     */
    private static void checkChartSettings(List<Paragraph> scala, List<Table> shown, Path report) throws IOException {
        int next = 0;
        for (int i = 0; i < scala.size(); i++) {
            Paragraph p = scala.get(i);
            JsonNode graph = p.config().path("results").path("0").path("graph");
            if (p.showCalls() == 1 && !graph.isMissingNode()) {
                Table table = shown.get(next);
                String out = Files.readString(report.resolve(String.format("%02d.out", i + 1)));
                assertTrue(out.substring(out.indexOf('\n') + 1).startsWith("%table "),
                        "'" + p.title() + "' prints something before its table, so its chart settings would not apply:\n" + out);
                List<JsonNode> columns = new ArrayList<>();
                for (String role : List.of("keys", "groups", "values")) {
                    graph.path(role).forEach(columns::add);
                }
                graph.path("setting").forEach(chart -> chart.forEach(v -> {
                    if (v.has("name") && v.has("index")) {
                        columns.add(v); // a scatter chart's xAxis, yAxis, group, size
                    }
                }));
                for (JsonNode c : columns) {
                    int index = c.get("index").asInt();
                    assertTrue(index < table.header().size() && table.header().get(index).equals(c.get("name").asText()),
                            "'" + p.title() + "' charts column " + c + " but its table's columns are " + table.header());
                }
            }
            next += (int) p.showCalls();
        }
    }

    private static void checkSummary(Table summary) {
        assertEquals(COMPRESSORS, summary.rows().stream().map(r -> r.get("compressor")).toList());
        for (int i = 0; i < 2; i++) {
            double accuracy = summary.number(i, "test_accuracy");
            assertTrue(accuracy > 0.3 && accuracy <= 1, COMPRESSORS.get(i) + " learnt nothing: accuracy " + accuracy);
        }
        assertEquals(List.of("none", "residual"), summary.rows().stream().map(r -> r.get("memory")).toList());
        assertEquals(List.of("master", "workers"), summary.rows().stream().map(r -> r.get("optimizer_on")).toList());
        double none = summary.number(0, "uplink_MB");
        double topk = summary.number(1, "uplink_MB");
        assertTrue(topk > 0 && topk < none / 10, "top-k 1% sent " + topk + " MB, none " + none + " MB");
        assertEquals(1.0, summary.number(0, "compression_ratio"), 1e-12);
        assertEquals(none / topk, summary.number(1, "compression_ratio"), 1e-6 * none / topk);
    }

    private static void checkEvaluations(List<Table> shown, Table summary) {
        assertFalse(shown.isEmpty(), "no table of evaluations (compressor, step, uplink_MB, test_accuracy)");
        for (Table evals : shown) {
            for (int c = 0; c < 2; c++) {
                String compressor = COMPRESSORS.get(c);
                List<Map<String, String>> rows = evals.rows().stream()
                        .filter(r -> r.get("compressor").equals(compressor)).toList();
                assertEquals(List.of("10", "20", "30", "40", "50", "60"), rows.stream().map(r -> r.get("step")).toList(),
                        compressor + "'s evaluations");
                double previous = 0;
                for (Map<String, String> r : rows) {
                    double accuracy = Double.parseDouble(r.get("test_accuracy"));
                    double mb = Double.parseDouble(r.get("uplink_MB"));
                    assertTrue(accuracy >= 0 && accuracy <= 1, compressor + " accuracy " + accuracy);
                    assertTrue(mb > previous, compressor + ": bytes so far must grow: " + rows);
                    previous = mb;
                }
                assertEquals(summary.number(c, "test_accuracy"), Double.parseDouble(rows.get(5).get("test_accuracy")),
                        "the last evaluation is the run's result");
                assertEquals(summary.number(c, "uplink_MB"), previous, 1e-9, "all bytes sent by the last step");
            }
        }
    }

    private static void checkSteps(Table steps, Table summary) {
        for (int c = 0; c < 2; c++) {
            String compressor = COMPRESSORS.get(c);
            List<Map<String, String>> rows = steps.rows().stream()
                    .filter(r -> r.get("compressor").equals(compressor)).toList();
            assertEquals(60, rows.size(), compressor + "'s steps");
            long bytes = 0;
            for (Map<String, String> r : rows) {
                double loss = Double.parseDouble(r.get("loss"));
                assertTrue(loss > 0 && Double.isFinite(loss), compressor + " loss " + loss);
                bytes += Long.parseLong(r.get("uplink_bytes"));
            }
            assertEquals(summary.number(c, "uplink_MB"), bytes / 1e6, 1e-9, compressor + ": the steps' bytes add up");
        }
    }

    // ------------------------------------------------------------------ reading the results

    private static List<Table> shownTables(Path report) throws IOException {
        List<Table> tables = new ArrayList<>();
        for (int n = 1; Files.exists(report.resolve("z-show-" + n + ".tsv")); n++) {
            List<String> lines = Files.readAllLines(report.resolve("z-show-" + n + ".tsv"));
            List<String> header = List.of(lines.get(0).split("\t"));
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split("\t", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    row.put(header.get(i), cells[i]);
                }
                rows.add(row);
            }
            tables.add(new Table(header, rows));
        }
        return tables;
    }

    private static Table table(List<Table> shown, String column) {
        return shown.stream().filter(t -> t.header().contains(column)).findFirst()
                .orElseThrow(() -> new AssertionError("no z.show table with a column '" + column + "' among "
                        + shown.stream().map(Table::header).toList()));
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }

    private static void printSummary(List<Paragraph> note, List<Paragraph> scala, List<String[]> ran, List<Table> shown,
            Properties context, double replSeconds, double totalSeconds) {
        StringBuilder s = new StringBuilder("ZeppelinNoteIT: ").append(REPO.relativize(NOTE)).append(", ")
                .append(note.size()).append(" paragraphs (");
        for (String magic : List.of("%md", "%spark.conf", "%spark")) {
            s.append(note.stream().filter(p -> p.magic().equals(magic)).count()).append(' ').append(magic)
                    .append(magic.equals("%spark") ? ")\n" : ", ");
        }
        s.append("  REPL context: master ").append(context.getProperty("master")).append(", serializer ")
                .append(context.getProperty("serializer")).append(", spark.jars ")
                .append(Path.of(context.getProperty("conf.spark.jars")).getFileName()).append('\n');
        for (String[] r : ran) {
            s.append(String.format("  %%spark %s %-40s %-8s %6.1f s%n", r[0],
                    scala.get(Integer.parseInt(r[0]) - 1).title(), r[1], Long.parseLong(r[2]) / 1000.0));
        }
        for (int i = 0; i < shown.size(); i++) {
            Table t = shown.get(i);
            s.append("  z.show #").append(i + 1).append(": ").append(t.rows().size()).append(" rows of ")
                    .append(String.join(" | ", t.header())).append('\n');
            List<Map<String, String>> rows = t.rows();
            for (int r = 0; r < rows.size(); r++) {
                if (rows.size() <= 12 || r < 4 || r >= rows.size() - 4) {
                    s.append("      ").append(String.join(" | ", rows.get(r).values())).append('\n');
                } else if (r == 4) {
                    s.append("      ... (").append(rows.size() - 8).append(" more)\n");
                }
            }
        }
        s.append(String.format("  REPL JVM %.1f s, whole test %.1f s%n", replSeconds, totalSeconds));
        System.out.print(s);
    }
}
