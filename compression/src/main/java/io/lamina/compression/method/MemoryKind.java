package io.lamina.compression.method;

import io.lamina.compression.MemorySpec;
import io.lamina.compression.SpecParams;
import java.util.function.Function;

/**
 * One memory (error feedback) in the {@link Memories} registry.
 *
 * @param name          the CLI name, e.g. {@code residual}
 * @param parser        parses and validates {@code name[:params]} into a spec
 * @param requirement   null for a general-purpose memory; for a memory that only some methods
 *                      accept, the phrase that says which ("(momentum correction) needs a sparsifier"),
 *                      used in the error naming the methods that accept it (their {@link Method#memories()})
 * @param errorFeedback whether it feeds back what compression dropped (a scaled sparsifier must not
 *                      have it; a biased one wants the optimizer on the workers)
 * @param momentum      whether it is a momentum itself (DGC's correction): the optimizer must add none
 * @param constantStep  whether, fed gradients, it needs the step size applied after aggregation to
 *                      stay constant (EF-signSGD's scaled residual: the paper puts the step inside)
 */
public record MemoryKind(String name, Function<SpecParams, MemorySpec> parser, String requirement,
        boolean errorFeedback, boolean momentum, boolean constantStep) {
}
