package io.lamina.app.engine.worker;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor JVM's replicas, keyed by (run id, partition). Spark may run a partition's task on
 * any executor; a task that finds no replica here, or a stale one, rebuilds it from the snapshot.
 */
public final class ReplicaRegistry {

    private static final ConcurrentHashMap<String, Object> ENTRIES = new ConcurrentHashMap<>();

    private ReplicaRegistry() {
    }

    private static String key(String runId, String kind, int partition) {
        return runId + "/" + kind + "/" + partition;
    }

    static Replica replica(String runId, int partition) {
        return (Replica) ENTRIES.get(key(runId, "train", partition));
    }

    static void put(String runId, int partition, Replica replica) {
        ENTRIES.put(key(runId, "train", partition), replica);
    }

    /**
     * Partition {@code p}'s data block, decoded from its cached bytes the first time this JVM
     * needs it (the bytes of a partition are the same on every executor).
     */
    static io.lamina.datasets.DataBlock block(String runId, int partition, byte[] bytes) {
        return (io.lamina.datasets.DataBlock) ENTRIES.computeIfAbsent(key(runId, "block", partition),
                k -> io.lamina.app.engine.protocol.LaminaBytes.read(bytes, io.lamina.datasets.DataBlock.class));
    }

    /** Whether this JVM has decoded partition {@code partition}'s data block. */
    static boolean hasBlock(String runId, int partition) {
        return ENTRIES.containsKey(key(runId, "block", partition));
    }

    static Object evalModel(String runId, int partition) {
        return ENTRIES.get(key(runId, "eval", partition));
    }

    static void putEvalModel(String runId, int partition, Object model) {
        ENTRIES.put(key(runId, "eval", partition), model);
    }

    /**
     * For tests and diagnostics in local mode: partition {@code p}'s network, or null. Changing
     * its parameters makes the replica disagree with the master (the audit must catch it).
     */
    public static io.lamina.app.model.Dl4jNet network(String runId, int partition) {
        Replica r = replica(runId, partition);
        return r == null ? null : r.net;
    }

    /** For tests in local mode: what partition {@code p} shipped in round {@code round} of its last step, or null. */
    public static io.lamina.app.engine.protocol.Aggregate lastShipped(String runId, int partition, int round) {
        Replica r = replica(runId, partition);
        return r == null ? null : r.shipped[round];
    }

    /**
     * For tests in local mode: the parameters of partition {@code p}'s replica once it applies
     * {@code pending} (the last downlink) if it has not yet, or null if it is not at that version.
     */
    public static float[] paramsAfter(String runId, int partition, io.lamina.app.engine.protocol.Downlink pending,
            io.lamina.app.engine.protocol.StepPlan plan) {
        Replica r = replica(runId, partition);
        if (r == null) {
            return null;
        }
        if (pending != null && r.version == pending.step()) {
            r.apply(pending, plan);
        }
        return pending == null || r.version == pending.step() + 1 ? r.net.params() : null;
    }

    /** Drops one partition's training replica (what a lost executor looks like); true if there was one. */
    public static boolean drop(String runId, int partition) {
        return ENTRIES.remove(key(runId, "train", partition)) != null;
    }

    /** Frees everything of a finished run in this JVM. */
    public static void removeRun(String runId) {
        ENTRIES.keySet().removeIf(k -> k.startsWith(runId + "/"));
    }

    /** Number of training replicas of a run held in this JVM. */
    public static int count(String runId) {
        return (int) ENTRIES.keySet().stream().filter(k -> k.startsWith(runId + "/train/")).count();
    }
}
