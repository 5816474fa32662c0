package io.lamina.app.engine.driver;

import io.lamina.app.engine.protocol.Snapshot;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The snapshot broadcast replicas rebuild from: the master at a version. Executors read it only
 * when they must build or rebuild a replica; a new one replaces (and frees) the previous.
 */
final class Snapshots implements AutoCloseable {

    private final JavaSparkContext sc;
    private final MasterCopy master;
    private Broadcast<Snapshot> current;

    Snapshots(JavaSparkContext sc, MasterCopy master) {
        this.sc = sc;
        this.master = master;
    }

    /** Publishes the master at {@code version} (= updates applied so far). */
    void publish(long version) {
        Broadcast<Snapshot> old = current;
        current = sc.broadcast(master.snapshot(version));
        if (old != null) {
            old.destroy(false);
        }
    }

    Broadcast<Snapshot> current() {
        return current;
    }

    @Override
    public void close() {
        if (current != null) {
            current.destroy(false);
        }
    }
}
