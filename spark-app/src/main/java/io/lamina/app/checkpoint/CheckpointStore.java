package io.lamina.app.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lamina.app.engine.protocol.Checkpoint;
import io.lamina.app.engine.protocol.LaminaBytes;
import io.lamina.app.metrics.OutputFiles;
import io.lamina.app.model.Dl4jNet;
import io.lamina.compression.bits.CorruptMessageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's checkpoints, in {@code <output>/checkpoints/step-<N>/} on any Hadoop file system: {@code
 * state.bin} (the {@link Checkpoint} as Lamina's bytes: everything to continue exactly),
 * {@code model.zip} (the master as DL4J's ModelSerializer writes it, for anyone who only wants
 * the model) and {@code checkpoint.json} (step and settings, for people). A checkpoint is written
 * into a hidden temporary folder and renamed into place, so a run killed while writing leaves the
 * previous ones whole; the newest {@code keep} are kept.
 */
public final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String PREFIX = "step-";

    private final FileSystem fs;
    private final Path dir;
    private final int keep;

    public CheckpointStore(String output, Configuration conf, int keep) throws IOException {
        this(OutputFiles.fileSystem(OutputFiles.resolve(output), conf), OutputFiles.resolve(output), keep);
    }

    /** On a given file system (tests use one that fails on purpose). */
    CheckpointStore(FileSystem fs, Path output, int keep) {
        this.fs = fs;
        this.dir = new Path(output, "checkpoints");
        this.keep = keep;
    }

    /** Writes {@code c} with the master network at the same step; returns its folder. */
    public Path write(Checkpoint c, Dl4jNet master) throws IOException {
        String name = String.format("%s%010d", PREFIX, c.steps());
        Path tmp = new Path(dir, "." + name + ".tmp");
        fs.delete(tmp, true);
        fs.mkdirs(tmp);
        try (FSDataOutputStream out = fs.create(new Path(tmp, "state.bin"), true)) {
            out.write(LaminaBytes.write(c));
        }
        try (FSDataOutputStream out = fs.create(new Path(tmp, "model.zip"), true)) {
            master.save(out);
        }
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("steps", c.steps());
        about.put("workers", c.workers().length);
        about.put("settings", c.settings());
        try (FSDataOutputStream out = fs.create(new Path(tmp, "checkpoint.json"), true)) {
            out.write(JSON.writeValueAsBytes(about));
        }
        Path target = new Path(dir, name);
        fs.delete(target, true);
        if (!fs.rename(tmp, target)) {
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
        prune();
        return target;
    }

    private void prune() throws IOException {
        List<Path> all = complete();
        for (int i = keep; i < all.size(); i++) {
            fs.delete(all.get(i), true);
        }
    }

    /** The complete checkpoints, newest first. */
    List<Path> complete() throws IOException {
        if (!fs.exists(dir)) {
            return List.of();
        }
        FileStatus[] st = fs.listStatus(dir, p -> p.getName().startsWith(PREFIX));
        Arrays.sort(st, (a, b) -> b.getPath().getName().compareTo(a.getPath().getName()));
        List<Path> out = new ArrayList<>();
        for (FileStatus s : st) {
            out.add(s.getPath());
        }
        return out;
    }

    /**
     * The newest checkpoint that reads whole (an older one if the newest is damaged, with a
     * warning).
     *
     * @throws CheckpointException if the folder holds none
     */
    public Checkpoint latest() throws IOException {
        for (Path p : complete()) {
            try (FSDataInputStream in = fs.open(new Path(p, "state.bin"))) {
                return LaminaBytes.read(in.readAllBytes(), Checkpoint.class);
            } catch (CorruptMessageException | IOException e) {
                LOG.warn("checkpoint {} cannot be read ({}); trying the one before", p, e.toString());
            }
        }
        throw new CheckpointException("no checkpoint in " + dir + " (a run writes them with --checkpoint-every N)");
    }
}
