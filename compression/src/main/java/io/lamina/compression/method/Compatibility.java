package io.lamina.compression.method;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.MemorySpec;
import java.util.TreeSet;

/**
 * Which compressor, memory, payload and optimizer go together, checked before any training
 * starts; derived from the registries ({@link Method}, {@link MemoryKind}).
 *
 * <ul>
 *   <li>{@code dgc} memory (momentum correction and factor masking) is defined for sparsifiers
 *       only: masking needs "sent" and "not sent" coordinates. It is a momentum itself, so the
 *       optimizer must add none (the paper runs plain SGD after it).</li>
 *   <li>{@code efsign} memory (EF-signSGD's scaled residual) goes with the scaled-sign
 *       compressors {@code efsign} and {@code onebit}. Fed gradients, it keeps the residual in
 *       gradient units, which is the paper's scaled step only while the step size is constant.</li>
 *   <li>Majority-vote methods ({@code signsgd}, {@code signum}) aggregate to a vote of +-1
 *       whose scale is the learning rate's; feeding back e - sign(e) would mix scales, so they
 *       take no memory (Signum keeps its own momentum), and their messages carry gradients only.</li>
 *   <li>A sparsifier scaled to be unbiased (randomk {@code scaled=true}) takes no error feedback.</li>
 *   <li>{@code powersgd} uses the paper's error feedback: {@code none} or {@code residual}.</li>
 * </ul>
 */
public final class Compatibility {

    private Compatibility() {
    }

    /** The memory a compressor spec is normally run with ({@link Method#defaultMemory()}; none when scaled). */
    public static MemorySpec defaultMemory(CompressorSpec compressor) {
        Method method = Methods.get(compressor.name());
        return Memories.parse(method.sparsity(compressor) == Sparsity.SCALED ? "none" : method.defaultMemory());
    }

    /** @throws IllegalArgumentException naming the pair and what is allowed */
    public static void check(CompressorSpec compressor, MemorySpec memory, Payload payload) {
        Rejection r = rejection(compressor, memory, payload);
        if (r != null) {
            throw new IllegalArgumentException(r.message());
        }
    }

    /** Why the three do not go together, or null if they do. */
    public static Rejection rejection(CompressorSpec compressor, MemorySpec memory, Payload payload) {
        Method method = Methods.get(compressor.name());
        MemoryKind kind = Memories.get(memory.name());
        if (!method.memories().contains(kind.name())) {
            return memoryRefused(method, kind);
        }
        if (kind.errorFeedback() && method.sparsity(compressor) == Sparsity.SCALED) {
            return new Rejection("a sparsifier scaled to be unbiased (randomk scaled=true) takes no error feedback: "
                    + "a kept coordinate's residual becomes e(1 - d/k)",
                    "compressor '" + compressor.spec() + "' scales what it keeps by d/k, so with memory '" + kind.name()
                    + "' (error feedback) a kept coordinate's residual becomes e(1 - d/k), -99e at 1%, and error "
                    + "feedback diverges; allowed: scaled=false with memory residual or dgc, or scaled=true with memory none");
        }
        if (payload == Payload.UPDATES && !method.carriesUpdates()) {
            return new Rejection("its messages carry gradients only, never an optimizer's update (it "
                    + method.gradientsOnly() + ")",
                    "compressor '" + method.name() + "' cannot carry the optimizer's update (optimizer on the workers): it "
                    + method.gradientsOnly() + "; allowed with " + method.name()
                    + ": the optimizer on the master (optimizer-on master or auto)");
        }
        return null;
    }

    private static Rejection memoryRefused(Method method, MemoryKind kind) {
        if (kind.requirement() != null) {
            TreeSet<String> allowed = new TreeSet<>();
            for (Method m : Methods.all()) {
                if (m.memories().contains(kind.name())) {
                    allowed.add(m.name());
                }
            }
            String rule = "memory " + kind.name() + " " + kind.requirement() + " (" + String.join(", ", allowed) + ")";
            return new Rejection(rule, "memory '" + kind.name() + "' " + kind.requirement() + ", not '"
                    + method.name() + "'; allowed compressors: " + String.join(", ", allowed));
        }
        String memories = String.join(", ", new TreeSet<>(method.memories()));
        return new Rejection("the compressor takes only memor" + (method.memories().size() == 1 ? "y " : "ies ") + memories,
                "compressor '" + method.name() + "' " + method.memoryRule().formatted(kind.name())
                + (method.memoryRule().contains("allowed memories") ? "" : "; allowed memories: " + memories));
    }

    /**
     * The memory's demands on the optimizer: no second momentum after DGC's momentum correction,
     * and a constant step for EF-signSGD's residual when it is fed gradients.
     *
     * @throws IllegalArgumentException naming the memory, the optimizer and what is allowed
     */
    public static void checkOptimizer(MemorySpec memory, Payload payload, OptimizerTraits optimizer) {
        MemoryKind kind = Memories.get(memory.name());
        if (kind.momentum() && optimizer.momentum()) {
            throw new IllegalArgumentException("memory '" + kind.name() + "' is a momentum itself (DGC's momentum "
                    + "correction, which the paper follows with plain SGD); optimizer '" + optimizer.name()
                    + "' would add a second momentum; allowed with memory " + kind.name()
                    + ": optimizer sgd (or memory residual with " + optimizer.name() + ")");
        }
        if (kind.constantStep() && payload == Payload.GRADIENTS && !optimizer.constantStep()) {
            throw new IllegalArgumentException("memory '" + kind.name() + "' keeps EF-signSGD's residual in gradient "
                    + "units, while the optimizer on the master changes the step size after aggregation (a learning-rate "
                    + "schedule or warm-up), which is not the paper's scaled step; allowed: a constant learning rate "
                    + "(lr-schedule constant, warmup-steps 0), or the optimizer on the workers (optimizer-on workers), "
                    + "where the compressed update already carries the step");
        }
    }
}
