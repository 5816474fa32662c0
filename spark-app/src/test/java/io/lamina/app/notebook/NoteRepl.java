package io.lamina.app.notebook;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.repl.Main;
import org.apache.spark.repl.SparkILoop;
import scala.Option;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;

/**
 * Runs a note's Scala paragraphs, one {@code interpret} call each and in order, through Spark's
 * own REPL ({@link SparkILoop}), as Zeppelin's Spark interpreter does: spark-shell's settings
 * (class-based wrappers, the compiled lines served to executors), the REPL's own
 * {@code spark} and {@code sc} (created by {@link SparkILoop#initializeSpark()} from the
 * {@code spark.*} system properties, as after spark-submit), and {@code z} bound to a
 * {@link ZeppelinContextStandIn}. Started in its own JVM by {@code ZeppelinNoteIT}.
 *
 * <p>Usage: {@code NoteRepl <folder of NN.scala paragraphs> <report folder>}. Writes to the report
 * folder {@code report.tsv} (one line per paragraph run: file, SUCCESS/ERROR/INCOMPLETE/EXCEPTION,
 * milliseconds), {@code NN.out} (each paragraph's output), the {@code z.show} tables and
 * {@code context.properties} (the REPL context's settings and this JVM's options). Stops at the
 * first paragraph that fails, as Zeppelin's "run all" does; exits 0 only if every one succeeded.
 */
public final class NoteRepl {

    /** What the REPL prints for an uncaught exception or a compile error (it also returns Error then). */
    private static final Pattern FAILURE = Pattern.compile(
            "(?m)^(?:[\\w$]+\\.)+[\\w$]*(?:Exception|Error)\\b|^<console>:\\d+: error:|^\\s+at [\\w$.]+\\(");

    private NoteRepl() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: NoteRepl <paragraph folder> <report folder>");
        }
        Path paragraphs = Path.of(args[0]);
        Path report = Files.createDirectories(Path.of(args[1]));
        // Everything printed (the REPL's echo, println, Lamina's progress lines) goes to stdout and to
        // the current paragraph's buffer. Set before Scala's Console first reads System.out.
        ByteArrayOutputStream paragraphOut = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(new Tee(System.out, paragraphOut), true, StandardCharsets.UTF_8);
        System.setOut(tee);

        SparkILoop loop = startRepl(tee, report);
        boolean allPassed = true;
        List<Path> files;
        try (Stream<Path> s = Files.list(paragraphs)) {
            files = s.filter(p -> p.toString().endsWith(".scala")).sorted().toList();
        }
        StringBuilder lines = new StringBuilder();
        for (Path file : files) {
            paragraphOut.reset();
            String name = file.getFileName().toString().replace(".scala", "");
            tee.println("[note-repl] paragraph " + name);
            long t0 = System.nanoTime();
            Results.Result result = loop.intp().interpret(Files.readString(file));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            tee.flush();
            String output = paragraphOut.toString(StandardCharsets.UTF_8);
            Files.writeString(report.resolve(name + ".out"), output);
            String status = result == Results.Success$.MODULE$
                    ? (FAILURE.matcher(output).find() ? "EXCEPTION" : "SUCCESS")
                    : result == Results.Incomplete$.MODULE$ ? "INCOMPLETE" : "ERROR";
            lines.append(name).append('\t').append(status).append('\t').append(ms).append('\n');
            Files.writeString(report.resolve("report.tsv"), lines);
            tee.println("[note-repl] paragraph " + name + ": " + status + " in " + ms + " ms");
            if (!status.equals("SUCCESS")) {
                allPassed = false;
                break;
            }
        }
        writeContext(report.resolve("context.properties"));
        Main.sparkContext().stop();
        loop.closeInterpreter();
        System.exit(allPassed ? 0 : 1); // the REPL leaves non-daemon threads behind
    }

    /** spark-shell's REPL (org.apache.spark.repl.Main.doMain's settings) with spark, sc and z bound. */
    private static SparkILoop startRepl(PrintStream out, Path report) {
        List<String> jars = Arrays.stream(Main.conf().get("spark.jars", "").split(","))
                .filter(j -> !j.isBlank()).toList();
        Settings settings = new Settings();
        Tuple2<Object, scala.collection.immutable.List<String>> parsed = settings.processArguments(scalaList(
                "-Yrepl-class-based", "-Yrepl-outdir", Main.outputDir().getAbsolutePath(),
                "-classpath", String.join(File.pathSeparator, jars), "-usejavacp"), true);
        if (!(Boolean) parsed._1()) {
            throw new IllegalStateException("the REPL rejected its settings: " + parsed._2());
        }
        SparkILoop loop = new SparkILoop(Option.empty(), new PrintWriter(out, true));
        Main.interp_$eq(loop);
        loop.settings_$eq(settings);
        loop.createInterpreter();
        IMain intp = loop.intp();
        intp.initializeSynchronous();
        if (intp.reporter().hasErrors()) {
            throw new IllegalStateException("the Scala interpreter failed to start");
        }
        loop.initializeSpark();
        if (Main.sparkContext() == null) {
            throw new IllegalStateException("the REPL created no SparkContext (see the output above)");
        }
        ZeppelinContextStandIn z = new ZeppelinContextStandIn(report, 1000);
        if (intp.bind("z", ZeppelinContextStandIn.class.getName(), z, scalaList("@transient"))
                != Results.Success$.MODULE$) {
            throw new IllegalStateException("cannot bind z in the REPL");
        }
        return loop;
    }

    /** The REPL context's settings and serializer, this JVM's options and OMP_NUM_THREADS, for the test. */
    private static void writeContext(Path file) throws IOException {
        SparkContext sc = Main.sparkContext();
        Properties p = new Properties();
        for (Tuple2<String, String> kv : sc.getConf().getAll()) {
            p.setProperty("conf." + kv._1(), kv._2());
        }
        p.setProperty("master", sc.master());
        p.setProperty("serializer", SparkEnv.get().serializer().getClass().getName());
        p.setProperty("jvm.options", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        p.setProperty("env.OMP_NUM_THREADS", String.valueOf(System.getenv("OMP_NUM_THREADS")));
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, "the REPL's SparkContext and JVM");
        }
    }

    private static scala.collection.immutable.List<String> scalaList(String... items) {
        return JavaConverters.asScalaBuffer(new ArrayList<>(List.of(items))).toList();
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public synchronized void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
