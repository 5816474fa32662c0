package io.lamina.app.engine.protocol;

import java.util.Map;

/**
 * Everything needed to continue a run exactly after {@code steps} steps: the master (parameters,
 * updater state, counters and the protocol's shared state, as a {@link Snapshot} at that
 * version), every worker's {@link WorkerState} (null for a worker whose replica could not be
 * read: it restarts with empty memory), the run's byte and replica totals so far, and the
 * configuration (setting key to value, as the command line writes it) it must continue with.
 * The minibatches need no state: they derive from (seed, epoch, step, partition).
 */
public record Checkpoint(long steps, Snapshot master, WorkerState[] workers, long uplinkBytes, long downlinkBytes,
        long rebuiltReplicas, long checksumMismatches, Map<String, String> settings) {
}
