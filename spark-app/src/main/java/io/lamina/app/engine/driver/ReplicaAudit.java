package io.lamina.app.engine.driver;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the replicas' parameter checksums, sent on checksum steps, with the master's at the
 * same version, and names the partitions whose replica must rebuild from a snapshot.
 */
final class ReplicaAudit {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaAudit.class);

    private int[] toRebuild = new int[0];
    private long mismatches;

    /** Records the partitions whose checksum differs from {@code master}; returns how many. */
    int check(long step, long[] checksums, long master) {
        toRebuild = new int[0];
        if (checksums == null) {
            return 0;
        }
        for (int p = 0; p < checksums.length; p++) {
            if (checksums[p] != 0 && checksums[p] != master) {
                LOG.warn("step {}: replica {} disagrees with the master; it will be rebuilt", step, p);
                toRebuild = Arrays.copyOf(toRebuild, toRebuild.length + 1);
                toRebuild[toRebuild.length - 1] = p;
            }
        }
        mismatches += toRebuild.length;
        return toRebuild.length;
    }

    /** Partitions that must rebuild at the next step. */
    int[] toRebuild() {
        return toRebuild;
    }

    /** Continues the count of a checkpointed run. */
    void restore(long mismatchesSoFar) {
        mismatches = mismatchesSoFar;
    }

    long mismatches() {
        return mismatches;
    }
}
