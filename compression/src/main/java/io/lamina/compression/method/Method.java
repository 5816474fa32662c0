package io.lamina.compression.method;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.SpecParams;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything the library, the application and the tests need to know about one compression
 * method; {@link Methods} lists them and every other list (Kryo ids, compatibility checks, the
 * bench's {@code all}, the contract tests) derives from it.
 *
 * @param name          the CLI name, e.g. {@code topk}
 * @param family        its family
 * @param parser        parses and validates {@code name[:params]} into a spec
 * @param defaultMemory the memory it normally runs with
 * @param memories      the memories it accepts (contains {@code defaultMemory})
 * @param memoryRule    for a refused general-purpose memory: the end of the error after
 *                      {@code compressor '<name>' }, with {@code %s} for the memory's name
 * @param messages      every message type its encode, merge and downlink can produce
 * @param examples      specs exercised by the tests and benchmarks; the first is the bench's {@code all}
 * @param exactMerge    whether merging is bit-exact in any order (vote counts); otherwise the
 *                      aggregate's decoded update is equal within float rounding
 * @param sparsityOf    per spec: whether it is a sparsifier, biased or scaled (randomk's {@code scaled=true})
 * @param gradientsOnly null if its messages may carry an optimizer's update (the optimizer on the
 *                      workers) as well as a gradient; else why not, after {@code compressor '<name>' }
 */
public record Method(String name, Family family, Function<SpecParams, CompressorSpec> parser, String defaultMemory,
        Set<String> memories, String memoryRule, List<MessageType<?>> messages, List<String> examples, boolean exactMerge,
        Function<CompressorSpec, Sparsity> sparsityOf, String gradientsOnly) {

    public Method {
        Objects.requireNonNull(name);
        Objects.requireNonNull(family);
        Objects.requireNonNull(parser);
        Objects.requireNonNull(sparsityOf);
        memories = Set.copyOf(memories);
        messages = List.copyOf(messages);
        examples = List.copyOf(examples);
        if (!memories.contains(defaultMemory)) {
            throw new IllegalArgumentException(name + ": default memory " + defaultMemory + " is not among " + memories);
        }
        if (messages.isEmpty() || examples.isEmpty()) {
            throw new IllegalArgumentException(name + ": needs at least one message type and one example spec");
        }
    }

    /**
     * Starts a descriptor; the defaults are memory {@code residual} (accepting none and residual), merge within
     * rounding, not a sparsifier, gradients and updates alike.
     */
    public static Builder named(String name, Family family, Function<SpecParams, CompressorSpec> parser) {
        return new Builder(name, family, parser);
    }

    /** Parses {@code params} (whose name is this method's). */
    public CompressorSpec parse(SpecParams params) {
        return parser.apply(params);
    }

    /** How {@code spec} (one of this method's) treats the coordinates it keeps. */
    public Sparsity sparsity(CompressorSpec spec) {
        return sparsityOf.apply(spec);
    }

    /** Whether its messages may carry an optimizer's update as well as a gradient. */
    public boolean carriesUpdates() {
        return gradientsOnly == null;
    }

    /** Fluent construction of a {@link Method}. */
    public static final class Builder {
        private final String name;
        private final Family family;
        private final Function<SpecParams, CompressorSpec> parser;
        private String defaultMemory = "residual";
        private Set<String> memories = Set.of("none", "residual");
        private String memoryRule = "does not take memory '%s'";
        private List<MessageType<?>> messages = List.of();
        private List<String> examples = List.of();
        private boolean exactMerge;
        private Function<CompressorSpec, Sparsity> sparsity = spec -> Sparsity.NONE;
        private String gradientsOnly;

        private Builder(String name, Family family, Function<SpecParams, CompressorSpec> parser) {
            this.name = name;
            this.family = family;
            this.parser = parser;
        }

        /** The default memory and every accepted one (the default included). */
        public Builder memories(String defaultMemory, String... accepted) {
            this.defaultMemory = defaultMemory;
            this.memories = Set.of(accepted);
            return this;
        }

        /** The error's wording when a general-purpose memory is refused ({@code %s}: the memory). */
        public Builder memoryRule(String rule) {
            this.memoryRule = rule;
            return this;
        }

        public Builder messages(MessageType<?>... types) {
            this.messages = List.of(types);
            return this;
        }

        public Builder examples(String... specs) {
            this.examples = List.of(specs);
            return this;
        }

        /** Declares that merging is bit-exact in any order. */
        public Builder exactMerge() {
            this.exactMerge = true;
            return this;
        }

        /** Declares it a sparsifier: how each of its specs treats the coordinates it keeps. */
        public Builder sparsity(Function<CompressorSpec, Sparsity> ofSpec) {
            this.sparsity = ofSpec;
            return this;
        }

        /** Declares that its messages carry gradients only, and why (after {@code compressor '<name>' }). */
        public Builder gradientsOnly(String why) {
            this.gradientsOnly = why;
            return this;
        }

        public Method build() {
            return new Method(name, family, parser, defaultMemory, memories, memoryRule, messages, examples, exactMerge,
                    sparsity, gradientsOnly);
        }
    }
}
