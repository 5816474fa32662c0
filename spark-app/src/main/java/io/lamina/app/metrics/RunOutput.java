package io.lamina.app.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lamina.app.engine.driver.StepListener;
import io.lamina.app.engine.driver.StepRecord;
import io.lamina.app.model.Dl4jNet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The run's output folder on any Hadoop file system (a local path, {@code file:}, {@code hdfs:},
 * {@code s3a:} with hadoop-aws): {@code metrics.jsonl} (one JSON object per step, flushed as
 * written), {@code summary.json} and {@code model.zip}. The model and the summary are written
 * under a temporary name and renamed into place ({@link OutputFiles#replace}), so a crash never
 * leaves a half-written one. A resumed run keeps the metrics of the steps before its checkpoint
 * and continues the file.
 */
public final class RunOutput implements StepListener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FileSystem fs;
    private final Path dir;
    private final FSDataOutputStream stream;
    private final Writer metrics;

    /** A fresh output folder ({@code metrics.jsonl} starts empty). */
    public RunOutput(String dir, Configuration conf) throws IOException {
        this(dir, conf, -1);
    }

    /**
     * The output folder of a run that continues at step {@code firstStep} (-1: a new run): the
     * metrics lines of earlier steps are kept, later ones (written after the checkpoint by the run
     * that stopped) dropped.
     */
    public RunOutput(String dir, Configuration conf, long firstStep) throws IOException {
        this.dir = OutputFiles.resolve(dir);
        this.fs = OutputFiles.fileSystem(this.dir, conf);
        fs.mkdirs(this.dir);
        Path file = new Path(this.dir, "metrics.jsonl");
        Path tmp = new Path(this.dir, "metrics.jsonl.tmp");
        stream = fs.create(tmp, true);
        metrics = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
        if (firstStep >= 0 && fs.exists(file)) {
            copyEarlierSteps(file, firstStep);
        }
        metrics.flush();
        // The open file takes the real name: lines written from now on land in metrics.jsonl.
        OutputFiles.replace(fs, tmp, file);
    }

    private void copyEarlierSteps(Path file, long firstStep) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                long step = JSON.readTree(line).path("step").asLong(Long.MAX_VALUE);
                if (step < firstStep) {
                    metrics.write(line);
                    metrics.write('\n');
                }
            }
        }
    }

    /** The folder as a URI string. */
    public String dir() {
        return dir.toString();
    }

    public FileSystem fileSystem() {
        return fs;
    }

    @Override
    public void onStep(StepRecord record) {
        try {
            metrics.write(JSON.writeValueAsString(record.toMap()));
            metrics.write('\n');
            metrics.flush();
            stream.hflush(); // readers (and a crash) see every finished step
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + new Path(dir, "metrics.jsonl"), e);
        }
    }

    /** Saves the model as {@code model.zip} (DL4J ModelSerializer format, with updater state). */
    public Path saveModel(Dl4jNet net) throws IOException {
        Path tmp = new Path(dir, "model.zip.tmp");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            net.save(out);
        }
        Path target = new Path(dir, "model.zip");
        OutputFiles.replace(fs, tmp, target);
        return target;
    }

    /** Writes {@code name} in the folder, under a temporary name first. */
    public Path writeFile(String name, byte[] contents) throws IOException {
        Path tmp = new Path(dir, name + ".tmp");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            out.write(contents);
        }
        Path target = new Path(dir, name);
        OutputFiles.replace(fs, tmp, target);
        return target;
    }

    public Path writeSummary(Map<String, Object> summary) throws IOException {
        Path tmp = new Path(dir, "summary.json.tmp");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            out.write(JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(summary));
        }
        Path target = new Path(dir, "summary.json");
        OutputFiles.replace(fs, tmp, target);
        return target;
    }

    @Override
    public void close() throws IOException {
        metrics.close();
    }
}
