package io.lamina.app.engine;

/**
 * The master's state at a version (number of updates applied): flat parameters, updater state
 * and counters. Broadcast lazily: an executor reads it only when it must build or rebuild a
 * replica, so publishing one costs nothing on the normal path.
 */
public record Snapshot(long version, float[] params, float[] updaterState, int iteration, int epoch) {

    static Snapshot of(long version, io.lamina.app.model.Dl4jNet net) {
        return new Snapshot(version, net.params(), net.updaterState(), net.iteration(), net.epoch());
    }
}
