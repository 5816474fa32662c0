package io.lamina.app.data;

import io.lamina.datasets.DataFile;
import io.lamina.datasets.DatasetException;
import io.lamina.datasets.HadoopStorage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files behind a {@code --train} / {@code --test} location on any Hadoop FileSystem: the file
 * itself, or a folder's files (not those starting with {@code _} or {@code .}, as Spark writes
 * them; empty ones skipped), in name order, as fully qualified URIs that every executor can open.
 */
final class DataFiles {

    /** One file: its qualified URI and length in bytes. */
    record Entry(String uri, long length) implements Serializable {
        DataFile open(Configuration conf) {
            return HadoopStorage.file(uri, conf);
        }
    }

    private DataFiles() {
    }

    /** The files at {@code location} (named {@code option} in errors); at least one, none empty or compressed. */
    static List<Entry> list(String location, String option, Configuration conf) {
        Path path = new Path(location);
        FileStatus status;
        FileSystem fs;
        try {
            fs = path.getFileSystem(conf);
            status = fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new DatasetException(location + ": not found (" + option + ")");
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(location + ": cannot be read (" + option + "): " + e.getMessage(), e);
        }
        List<Entry> files = new ArrayList<>();
        if (status.isFile()) {
            if (status.getLen() == 0) {
                throw new DatasetException(location + ": the file is empty (" + option + ")");
            }
            files.add(entry(fs, status));
        } else {
            FileStatus[] children;
            try {
                children = fs.listStatus(path);
            } catch (IOException e) {
                throw new DatasetException(location + ": cannot list the folder (" + option + "): " + e.getMessage(), e);
            }
            Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
            for (FileStatus c : children) {
                String name = c.getPath().getName();
                if (c.isFile() && c.getLen() > 0 && !name.startsWith("_") && !name.startsWith(".")) {
                    files.add(entry(fs, c));
                }
            }
            if (files.isEmpty()) {
                throw new DatasetException(location + ": the folder holds no data files (" + option + ")");
            }
        }
        for (Entry e : files) {
            String lower = e.uri().toLowerCase(java.util.Locale.ROOT);
            if (lower.endsWith(".gz") || lower.endsWith(".bz2") || lower.endsWith(".zst") || lower.endsWith(".snappy")) {
                throw new DatasetException(e.uri() + ": compressed text cannot be split between workers; decompress it ("
                        + option + ")");
            }
        }
        return files;
    }

    private static Entry entry(FileSystem fs, FileStatus s) {
        return new Entry(fs.makeQualified(s.getPath()).toString(), s.getLen());
    }
}
