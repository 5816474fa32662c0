package io.lamina.compression;

/**
 * Where an {@link Compressor#encode} call happens: the training step, the segment index in the
 * compression layout, the worker, and the run's seed. Randomised compressors draw only from the
 * seeds derived here, so that a task Spark reruns produces the same message, and shared-seed
 * methods (Random-k) pick the same coordinates on every worker.
 */
public record EncodeContext(long step, int segment, int worker, long runSeed) {

    /** Same on every worker for this (step, segment): for coordinate choices shared by all. */
    public long sharedSeed() {
        return Seeds.mix(runSeed, step, segment, -1L);
    }

    /** Specific to this worker, step and segment: for stochastic rounding. */
    public long workerSeed() {
        return Seeds.mix(runSeed, step, segment, worker);
    }
}
