package io.lamina.datasets;

import java.util.Optional;

/**
 * A folder in which files are looked up by name: a local directory, a Hadoop FileSystem
 * directory or a class-path resource prefix. Obtain instances from {@link Locations}.
 */
public interface DataFolder {
    /** The file called {@code fileName} directly in this folder, if it exists. */
    Optional<DataFile> file(String fileName);

    /** Where the folder is, for error messages (a path or URI). */
    String name();
}
