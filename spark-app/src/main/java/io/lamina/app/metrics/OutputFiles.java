package io.lamina.app.metrics;

import java.io.IOException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/** Moving finished files into place on a Hadoop file system. */
public final class OutputFiles {

    private OutputFiles() {
    }

    /** A folder given without a scheme is a local one (not the cluster's default file system). */
    public static Path resolve(String dir) {
        Path p = new Path(dir);
        return p.toUri().getScheme() == null ? new Path(new java.io.File(dir).getAbsoluteFile().toURI()) : p;
    }

    /**
     * The file system of {@code dir}; for local folders the raw one, which writes no {@code .crc}
     * files beside the outputs (a crash could leave them disagreeing with the data).
     */
    public static FileSystem fileSystem(Path dir, org.apache.hadoop.conf.Configuration conf) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        return "file".equals(fs.getUri().getScheme()) ? FileSystem.getLocal(conf).getRaw() : fs;
    }

    /**
     * Renames {@code from} to {@code to}, replacing it: through {@link FileContext}'s rename with
     * OVERWRITE, atomic on HDFS and on local disks; on stores without it (object stores), delete
     * then rename.
     */
    public static void replace(FileSystem fs, Path from, Path to) throws IOException {
        if ("file".equals(fs.getUri().getScheme())) {
            java.nio.file.Files.move(java.nio.file.Path.of(from.toUri()), java.nio.file.Path.of(to.toUri()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        try {
            FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(from, to, Options.Rename.OVERWRITE);
        } catch (UnsupportedOperationException | org.apache.hadoop.fs.UnsupportedFileSystemException e) {
            fs.delete(to, false);
            if (!fs.rename(from, to)) {
                throw new IOException("cannot rename " + from + " to " + to);
            }
        }
    }
}
