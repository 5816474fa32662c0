package io.lamina.app.data;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The driver's Hadoop configuration ({@code sc.hadoopConfiguration()}, so {@code spark.hadoop.*}
 * settings and credentials reach the executors) as a broadcast of its own bytes
 * ({@link Configuration#write}), decoded once per task that opens files.
 */
final class HadoopConf implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> bytes;
    private transient Configuration decoded;

    private HadoopConf(Broadcast<byte[]> bytes) {
        this.bytes = bytes;
    }

    static HadoopConf broadcast(JavaSparkContext sc) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(out)) {
            sc.hadoopConfiguration().write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HadoopConf(sc.broadcast(out.toByteArray()));
    }

    synchronized Configuration get() {
        if (decoded == null) {
            Configuration c = new Configuration(false);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.value()))) {
                c.readFields(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the driver's Hadoop configuration", e);
            }
            decoded = c;
        }
        return decoded;
    }

    private transient boolean destroyed;

    /** Frees the broadcast (once; later calls do nothing). */
    synchronized void destroy() {
        if (!destroyed) {
            destroyed = true;
            bytes.destroy(false);
        }
    }
}
