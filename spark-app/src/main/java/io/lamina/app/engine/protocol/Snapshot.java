package io.lamina.app.engine.protocol;

import io.lamina.app.model.Dl4jNet;
import io.lamina.compression.RoundProtocol;

/**
 * The master's state at a version (number of updates applied): flat parameters, updater state,
 * counters, and the compressor state all replicas must share (PowerSGD's warm-start Q; null for
 * one-round methods, whose per-worker state may safely start afresh). Broadcast lazily: an
 * executor reads it only when it must build or rebuild a replica.
 */
public record Snapshot(long version, float[] params, float[] updaterState, int iteration, int epoch,
        float[][] compressorState) {

    public static Snapshot of(long version, Dl4jNet net, RoundProtocol protocol) {
        return new Snapshot(version, net.params(), net.updaterState(), net.iteration(), net.epoch(),
                protocol.sharedState());
    }
}
