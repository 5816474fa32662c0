package io.lamina.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a location string into a {@link DataFile} or {@link DataFolder}.
 *
 * <p>A string with a URI scheme ({@code file://}, {@code hdfs://}, {@code s3a://}, ...) is opened
 * through the Hadoop FileSystem API with a default Hadoop {@code Configuration} (use
 * {@link HadoopStorage} to pass your own, e.g. Spark's). A string without a scheme is a plain local
 * path and is read with {@code java.nio}, so local use needs no Hadoop jars on the class path.
 */
public final class Locations {
    /** A scheme of two or more characters, so that a Windows drive letter ("C:") is not one. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.\\-]+:.*", Pattern.DOTALL);

    private Locations() {
    }

    /** The file at {@code pathOrUri}; fails with a {@link DatasetException} if it does not exist. */
    public static DataFile file(String pathOrUri) {
        if (hasScheme(pathOrUri)) {
            try {
                return HadoopStorage.file(pathOrUri);
            } catch (NoClassDefFoundError e) {
                throw hadoopMissing(pathOrUri, e);
            }
        }
        return localFile(Paths.get(pathOrUri));
    }

    /** The folder at {@code pathOrUri}; fails with a {@link DatasetException} if it is not a folder. */
    public static DataFolder folder(String pathOrUri) {
        if (hasScheme(pathOrUri)) {
            try {
                return HadoopStorage.folder(pathOrUri);
            } catch (NoClassDefFoundError e) {
                throw hadoopMissing(pathOrUri, e);
            }
        }
        return localFolder(Paths.get(pathOrUri));
    }

    /** A local file read with {@code java.nio}. */
    public static DataFile localFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new DatasetException(path + ": file not found (or not a regular file)");
        }
        return new LocalFile(path);
    }

    /** A local directory read with {@code java.nio}. */
    public static DataFolder localFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir + ": folder not found (or not a directory)");
        }
        return new DataFolder() {
            @Override
            public Optional<DataFile> file(String fileName) {
                Path p = dir.resolve(fileName);
                return Files.isRegularFile(p) ? Optional.of(new LocalFile(p)) : Optional.empty();
            }

            @Override
            public String name() {
                return dir.toString();
            }
        };
    }

    /**
     * A folder of class-path resources, e.g. {@code "io/lamina/datasets/fashion-mnist-subset"}
     * (no leading slash), looked up with this library's class loader.
     */
    public static DataFolder classpath(String resourceFolder) {
        String prefix = resourceFolder.endsWith("/") ? resourceFolder : resourceFolder + "/";
        return new DataFolder() {
            @Override
            public Optional<DataFile> file(String fileName) {
                String resource = prefix + fileName;
                URL url = Locations.class.getClassLoader().getResource(resource);
                if (url == null) {
                    return Optional.empty();
                }
                return Optional.of(new DataFile() {
                    @Override
                    public long length() {
                        return -1;
                    }

                    @Override
                    public InputStream open() throws IOException {
                        return url.openStream();
                    }

                    @Override
                    public String name() {
                        return "classpath:" + resource;
                    }
                });
            }

            @Override
            public String name() {
                return "classpath:" + prefix;
            }
        };
    }

    static boolean hasScheme(String location) {
        return SCHEME.matcher(location).matches();
    }

    private static DatasetException hadoopMissing(String location, Throwable cause) {
        return new DatasetException(location + ": opening a URI needs the Hadoop client jars "
                + "(hadoop-client-api and hadoop-client-runtime) on the class path; "
                + "use a plain local path to read without Hadoop", cause);
    }

    private record LocalFile(Path path) implements DataFile {
        @Override
        public long length() {
            try {
                return Files.size(path);
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(path);
        }

        @Override
        public String name() {
            return path.toString();
        }
    }
}
