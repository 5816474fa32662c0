package io.lamina.app.engine.driver;

import io.lamina.app.engine.protocol.Snapshot;
import io.lamina.app.engine.protocol.LaminaBroadcast;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The snapshot broadcast (Lamina's bytes) replicas rebuild from: the master at a version. Executors read it only
 * when they must build or rebuild a replica; a new one replaces (and frees) the previous.
 */
final class Snapshots implements AutoCloseable {

    private final JavaSparkContext sc;
    private final MasterCopy master;
    private LaminaBroadcast<Snapshot> current;

    Snapshots(JavaSparkContext sc, MasterCopy master) {
        this.sc = sc;
        this.master = master;
    }

    /** Publishes the master at {@code version} (= updates applied so far). */
    void publish(long version) {
        LaminaBroadcast<Snapshot> old = current;
        current = LaminaBroadcast.of(sc, master.snapshot(version), Snapshot.class);
        if (old != null) {
            old.destroy();
        }
    }

    LaminaBroadcast<Snapshot> current() {
        return current;
    }

    @Override
    public void close() {
        if (current != null) {
            current.destroy();
        }
    }
}
