package io.lamina.app.engine.protocol;

import io.lamina.compression.Message;

/**
 * What one worker computed in one round of a step: one compressed message per segment, its mean
 * minibatch loss (round 0; 0 in later rounds), a checksum of the replica's parameters when the
 * plan asks for one (0 otherwise), the id of the replica that computed it (round 0; 0 otherwise) and
 * its telemetry. The task ships it as {@link Aggregate#of(Uplink)}.
 */
public record Uplink(long step, int round, int partition, Message[] segments, double loss, long checksum,
        long replica, Telemetry telemetry) {
}
