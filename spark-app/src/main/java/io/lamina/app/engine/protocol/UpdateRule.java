package io.lamina.app.engine.protocol;

import io.lamina.app.config.OptimizerPlacement;
import io.lamina.app.model.Dl4jNet;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.RoundProtocol;

/**
 * How a step's {@link Downlink} becomes a change of the parameters. The driver's master copy and
 * every replica call this same code on the same bytes, which is what keeps them bit-identical.
 */
public final class UpdateRule {

    private UpdateRule() {
    }

    /**
     * Writes the step's update (the averaged gradient, or update when the workers ran the
     * optimizer) into {@code buffer}; advances the protocol's shared state, so call it once per step.
     */
    public static void decode(Downlink downlink, RoundProtocol protocol, Layout segments, float[] buffer) {
        if (downlink.rounds().length != protocol.rounds()) {
            throw new IllegalStateException("downlink of step " + downlink.step() + " has "
                    + downlink.rounds().length + " rounds, the protocol " + protocol.rounds());
        }
        for (int r = 0; r < downlink.rounds().length; r++) {
            if (downlink.rounds()[r].length != segments.size()) {
                throw new IllegalStateException("downlink of step " + downlink.step() + " has "
                        + downlink.rounds()[r].length + " segments in round " + r + ", layout has " + segments.size());
            }
        }
        for (int j = 0; j < segments.size(); j++) {
            Message[] d = downlink.ofSegment(j);
            Message last = d[d.length - 1]; // earlier rounds may carry other shapes (PowerSGD's P)
            if (last.length() != segments.get(j).length()) {
                throw new IllegalStateException("segment " + segments.get(j).name() + " of step "
                        + downlink.step() + " has " + last.length() + " elements, expected " + segments.get(j).length());
            }
            protocol.finish(j, d, buffer, segments.get(j).offset());
        }
    }

    /**
     * Applies a decoded update: as the update itself when the workers ran the optimizer, else
     * through the updater. The gradient on the wire is already the mean over a worker's batch,
     * so the updater divides by 1.
     */
    public static void apply(Dl4jNet net, float[] decoded, StepPlan plan, long step) {
        if (plan.optimizerOn() == OptimizerPlacement.WORKERS) {
            net.applyUpdate(decoded);
        } else {
            net.applyGradient(decoded, 1, plan.epochOf(step));
        }
    }
}
