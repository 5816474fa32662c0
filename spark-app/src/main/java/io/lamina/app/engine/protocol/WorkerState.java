package io.lamina.app.engine.protocol;

/**
 * What one worker carries across steps besides the parameters every replica shares, for a
 * checkpoint: the memory's state (residuals), the compressor's per-worker state (Signum's
 * momentum, adaptive thresholds) and, with the optimizer on the workers, its updater state.
 * Taken at {@code version} (updates applied), after the replica applied the last downlink.
 *
 * @param updaterState the replica's updater state with the optimizer on the workers; null otherwise
 * @param memory       {@code Memory.state()}; null if the memory keeps none
 * @param compressor   {@code RoundProtocol.workerState()}; null if none
 */
public record WorkerState(int partition, long version, int iteration, int epoch, float[] updaterState,
        float[][] memory, float[][] compressor) {
}
