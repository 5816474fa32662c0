package io.lamina.app.engine;

import io.lamina.app.config.OptimizerPlacement;
import io.lamina.app.model.Dl4jNet;
import io.lamina.compression.Compressor;
import io.lamina.compression.Layout;
import io.lamina.compression.TwoRoundCompressor;

/**
 * Decodes a step's aggregate into the averaged gradient and applies it with the network's own
 * updater. The driver's master copy and every replica call this same code on the same bytes,
 * which is what keeps them bit-identical.
 */
final class UpdateApplier {

    private UpdateApplier() {
    }

    /**
     * Writes the averaged update of {@code aggregate} into {@code buffer} (length = total). For a
     * two-round method this also advances the compressor's shared state (call once per step).
     */
    static void decode(GradientMessage aggregate, Compressor compressor, Layout segments, float[] buffer) {
        if (aggregate.segments == null || aggregate.segments.length != segments.size()) {
            throw new IllegalStateException("aggregate of step " + aggregate.step + " has "
                    + (aggregate.segments == null ? 0 : aggregate.segments.length) + " segments, layout has "
                    + segments.size());
        }
        TwoRoundCompressor twoRound = compressor instanceof TwoRoundCompressor t ? t : null;
        if (twoRound != null && (aggregate.round1 == null || aggregate.round1.length != segments.size())) {
            throw new IllegalStateException("aggregate of step " + aggregate.step + " lacks the round-1 downlink");
        }
        for (int j = 0; j < segments.size(); j++) {
            if (aggregate.segments[j].length() != segments.get(j).length()) {
                throw new IllegalStateException("segment " + segments.get(j).name() + " of step " + aggregate.step
                        + " has " + aggregate.segments[j].length() + " elements, expected " + segments.get(j).length());
            }
            if (twoRound != null) {
                twoRound.finishRound2(j, aggregate.round1[j], aggregate.segments[j], buffer, segments.get(j).offset());
            } else {
                compressor.finish(aggregate.segments[j], buffer, segments.get(j).offset());
            }
        }
    }

    /** Applies the decoded aggregate: through the updater, or as the update itself when the workers ran it. */
    static void apply(Dl4jNet net, float[] averaged, StepPlan plan, long step) {
        if (plan.optimizerOn() == OptimizerPlacement.WORKERS) {
            net.applyUpdate(averaged);
        } else {
            net.applyGradient(averaged, plan.batchPerWorker(), plan.epochOf(step));
        }
    }
}
