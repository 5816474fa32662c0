package io.lamina.compression.method;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.MemorySpec;

/**
 * Where the optimizer should run when the user leaves it to us ({@code --optimizer-on auto}).
 *
 * <p>On the workers (messages carry updates) for a biased sparsifier with error feedback: a
 * coordinate then arrives in bursts (every ~1/ratio steps), and an optimizer applied after
 * aggregation treats a burst as one huge gradient (Adam's second moment grows, its step
 * shrinks). Run before compression, it sees every gradient and error feedback delivers every
 * step it computes: DGC's momentum correction (Lin et al., ICLR 2018) for any optimizer.
 * Everything else sends unbiased or dense-ish messages every step, where one optimizer on the
 * averaged gradient is plain synchronous SGD and needs no per-worker optimizer state.
 */
public final class AutoPayload {

    /** The payload chosen and why, in a few words for the start line. */
    public record Choice(Payload payload, String why) {
    }

    private AutoPayload() {
    }

    public static Choice choose(CompressorSpec compressor, MemorySpec memory) {
        Sparsity sparsity = Methods.get(compressor.name()).sparsity(compressor);
        boolean feedback = Memories.get(memory.name()).errorFeedback();
        String name = compressor.name();
        return switch (sparsity) {
            case BIASED -> feedback ? new Choice(Payload.UPDATES, name + " is a biased sparsifier with error feedback")
                    : new Choice(Payload.GRADIENTS, name + " runs without error feedback");
            case SCALED -> new Choice(Payload.GRADIENTS, name + " with scaled=true is unbiased");
            case NONE -> new Choice(Payload.GRADIENTS, name + " is not a biased sparsifier");
        };
    }
}
