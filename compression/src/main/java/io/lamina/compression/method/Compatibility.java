package io.lamina.compression.method;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.MemorySpec;
import java.util.Set;

/**
 * Which memories make sense with which compressors; checked before any training starts.
 *
 * <ul>
 *   <li>{@code dgc} memory (momentum correction and factor masking) is defined for sparsifiers
 *       only: masking needs "sent" and "not sent" coordinates.</li>
 *   <li>{@code efsign} memory (EF-signSGD's scaled residual) goes with the scaled-sign
 *       compressors {@code efsign} and {@code onebit}.</li>
 *   <li>Majority-vote methods ({@code signsgd}, {@code signum}) aggregate to a vote of +-1
 *       whose scale is the learning rate's; feeding back e - sign(e) would mix scales, so they
 *       take no memory (Signum keeps its own momentum).</li>
 *   <li>{@code powersgd} uses the paper's error feedback: {@code none} or {@code residual}.</li>
 * </ul>
 */
public final class Compatibility {

    private static final Set<String> SPARSIFIERS = Set.of("topk", "randomk", "threshold", "adaptive", "adaptive-tau", "dgc");
    private static final Set<String> SCALED_SIGN = Set.of("efsign", "onebit");
    private static final Set<String> MAJORITY_VOTE = Set.of("signsgd", "signum");

    private Compatibility() {
    }

    /**
     * The memory a compressor is normally run with: none for {@code none} and the majority-vote
     * methods, EF-signSGD's scaled residual for the scaled-sign ones, error feedback otherwise.
     */
    public static MemorySpec defaultMemory(CompressorSpec compressor) {
        String c = compressor.name();
        if (c.equals("none") || MAJORITY_VOTE.contains(c)) {
            return Memories.parse("none");
        }
        return Memories.parse(SCALED_SIGN.contains(c) ? "efsign" : "residual");
    }

    /** @throws IllegalArgumentException naming the pair and what is allowed */
    public static void check(CompressorSpec compressor, MemorySpec memory) {
        String c = compressor.name();
        String m = memory.name();
        if (m.equals("dgc") && !SPARSIFIERS.contains(c)) {
            throw new IllegalArgumentException("memory 'dgc' (momentum correction) needs a sparsifier, not '" + c
                    + "'; allowed compressors: " + String.join(", ", new java.util.TreeSet<>(SPARSIFIERS)));
        }
        if (m.equals("efsign") && !SCALED_SIGN.contains(c)) {
            throw new IllegalArgumentException("memory 'efsign' goes with a scaled-sign compressor, not '" + c
                    + "'; allowed compressors: " + String.join(", ", new java.util.TreeSet<>(SCALED_SIGN)));
        }
        if (MAJORITY_VOTE.contains(c) && !m.equals("none")) {
            throw new IllegalArgumentException("compressor '" + c + "' aggregates by majority vote and takes no memory, got '"
                    + m + "'; allowed memories: none (use efsign with memory efsign for error feedback)");
        }
        if (c.equals("powersgd") && !(m.equals("none") || m.equals("residual"))) {
            throw new IllegalArgumentException("compressor 'powersgd' uses residual error feedback, got memory '" + m
                    + "'; allowed memories: none, residual");
        }
    }
}
