package io.lamina.datasets;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Files and folders on any Hadoop FileSystem ({@code file://}, {@code hdfs://}, {@code s3a://}, ...).
 * Hadoop is a provided dependency: this is the only class that touches it, so the rest of the
 * library works without Hadoop jars as long as no URI is opened.
 */
public final class HadoopStorage {
    private HadoopStorage() {
    }

    /** The file at {@code uri}, using a default Hadoop configuration. */
    public static DataFile file(String uri) {
        return file(uri, new Configuration());
    }

    /** The folder at {@code uri}, using a default Hadoop configuration. */
    public static DataFolder folder(String uri) {
        return folder(uri, new Configuration());
    }

    /** The file at {@code uri}, using {@code conf} (e.g. Spark's {@code hadoopConfiguration()}). */
    public static DataFile file(String uri, Configuration conf) {
        Path path = new Path(uri);
        FileSystem fs = fileSystem(path, conf, uri);
        FileStatus status = status(fs, path, uri)
                .orElseThrow(() -> new DatasetException(uri + ": file not found"));
        if (!status.isFile()) {
            throw new DatasetException(uri + ": not a regular file");
        }
        return new HadoopFile(fs, path, status.getLen());
    }

    /** The folder at {@code uri}, using {@code conf} (e.g. Spark's {@code hadoopConfiguration()}). */
    public static DataFolder folder(String uri, Configuration conf) {
        Path dir = new Path(uri);
        FileSystem fs = fileSystem(dir, conf, uri);
        FileStatus status = status(fs, dir, uri)
                .orElseThrow(() -> new DatasetException(uri + ": folder not found"));
        if (!status.isDirectory()) {
            throw new DatasetException(uri + ": not a folder");
        }
        return new DataFolder() {
            @Override
            public Optional<DataFile> file(String fileName) {
                Path p = new Path(dir, fileName);
                return status(fs, p, p.toString())
                        .filter(FileStatus::isFile)
                        .map(s -> new HadoopFile(fs, p, s.getLen()));
            }

            @Override
            public String name() {
                return uri;
            }
        };
    }

    private static FileSystem fileSystem(Path path, Configuration conf, String uri) {
        try {
            return path.getFileSystem(conf);
        } catch (IOException e) {
            throw new DatasetException(uri + ": cannot open its file system: " + e, e);
        }
    }

    private static Optional<FileStatus> status(FileSystem fs, Path path, String uri) {
        try {
            return Optional.of(fs.getFileStatus(path));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new DatasetException(uri + ": cannot read its status: " + e, e);
        }
    }

    private record HadoopFile(FileSystem fs, Path path, long length) implements DataFile {
        @Override
        public InputStream open() throws IOException {
            return fs.open(path);
        }

        @Override
        public String name() {
            return path.toString();
        }
    }
}
