package io.lamina.compression;

import java.io.Serializable;
import java.util.Set;

/**
 * The spec of a compressor that takes no parameters: its registry name and how to make one.
 * Specs are equal when their names are.
 */
public final class FixedSpec implements CompressorSpec {

    private static final long serialVersionUID = 1L;

    /** Makes the compressor; serializable, so the spec can travel in a Spark closure or broadcast. */
    @FunctionalInterface
    public interface Factory extends Serializable {
        Compressor create(Layout segments);
    }

    private final String name;
    private final Factory factory;

    private FixedSpec(String name, Factory factory) {
        this.name = name;
        this.factory = factory;
    }

    /** The spec of {@code name}, made by {@code factory}. */
    public static CompressorSpec of(String name, Factory factory) {
        return new FixedSpec(name, factory);
    }

    /** Checks that {@code p} carries no parameters and returns the spec of {@code name}. */
    public static CompressorSpec parse(SpecParams p, String name, Factory factory) {
        p.allowOnly(Set.of());
        return of(name, factory);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        return name;
    }

    @Override
    public Compressor create(Layout segments) {
        return factory.create(segments);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FixedSpec f && f.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
