package io.lamina.datasets;

import java.io.IOException;
import java.io.InputStream;

/**
 * One readable file, wherever it lives: a local file, a Hadoop FileSystem object or a class-path
 * resource. Obtain instances from {@link Locations}.
 */
public interface DataFile {
    /** Length in bytes as stored (compressed length for a gzipped file), or -1 when unknown. */
    long length();

    /** A fresh stream over the stored bytes; the caller closes it. */
    InputStream open() throws IOException;

    /** Where the file is, for error messages (a path or URI). */
    String name();
}
