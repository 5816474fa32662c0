package io.lamina.compression.method;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.MemorySpec;
import java.util.TreeSet;

/**
 * Which memories make sense with which compressors, checked before any training starts; derived
 * from the registries ({@link Method#memories()}, {@link MemoryKind#requirement()}).
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

    private Compatibility() {
    }

    /** The memory a compressor is normally run with ({@link Method#defaultMemory()}). */
    public static MemorySpec defaultMemory(CompressorSpec compressor) {
        return Memories.parse(Methods.get(compressor.name()).defaultMemory());
    }

    /** @throws IllegalArgumentException naming the pair and what is allowed */
    public static void check(CompressorSpec compressor, MemorySpec memory) {
        Method method = Methods.get(compressor.name());
        MemoryKind kind = Memories.get(memory.name());
        if (method.memories().contains(kind.name())) {
            return;
        }
        if (kind.requirement() != null) {
            TreeSet<String> allowed = new TreeSet<>();
            for (Method m : Methods.all()) {
                if (m.memories().contains(kind.name())) {
                    allowed.add(m.name());
                }
            }
            throw new IllegalArgumentException("memory '" + kind.name() + "' " + kind.requirement() + ", not '"
                    + method.name() + "'; allowed compressors: " + String.join(", ", allowed));
        }
        throw new IllegalArgumentException("compressor '" + method.name() + "' " + method.memoryRule().formatted(kind.name())
                + (method.memoryRule().contains("allowed memories") ? ""
                        : "; allowed memories: " + String.join(", ", new TreeSet<>(method.memories()))));
    }
}
