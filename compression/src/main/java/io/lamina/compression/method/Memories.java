package io.lamina.compression.method;

import io.lamina.compression.MemorySpec;
import io.lamina.compression.SpecParams;
import io.lamina.compression.memory.DgcMemory;
import io.lamina.compression.memory.NoMemory;
import io.lamina.compression.memory.ResidualMemory;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The registry of memories: one {@link MemoryKind} line each; {@code Memories.parse("residual:beta=1,gamma=1")}.
 * Which methods accept which memory is said by each {@link Method#memories()}.
 */
public final class Memories {

    private static final List<MemoryKind> ALL = List.of(
            new MemoryKind("none", NoMemory::parse, null, false, false, false),
            new MemoryKind("residual", ResidualMemory::parse, null, true, false, false),
            new MemoryKind("efsign", ResidualMemory::parseEfSign, "goes with a scaled-sign compressor", true, false, true),
            new MemoryKind("dgc", DgcMemory::parse, "(momentum correction) needs a sparsifier", true, true, false));

    private static final Map<String, MemoryKind> BY_NAME = new TreeMap<>();

    static {
        for (MemoryKind k : ALL) {
            if (BY_NAME.put(k.name(), k) != null) {
                throw new IllegalStateException("memory '" + k.name() + "' is registered twice");
            }
        }
    }

    private Memories() {
    }

    /** Every memory, in registry order. */
    public static List<MemoryKind> all() {
        return ALL;
    }

    /** The memory called {@code name}. @throws IllegalArgumentException listing the known names */
    public static MemoryKind get(String name) {
        MemoryKind k = BY_NAME.get(name);
        if (k == null) {
            throw new IllegalArgumentException("unknown memory '" + name + "'; allowed: "
                    + String.join(", ", BY_NAME.keySet()));
        }
        return k;
    }

    /** Parses {@code name[:params]}; unknown names fail listing the known ones. */
    public static MemorySpec parse(String spec) {
        SpecParams p = SpecParams.parse(spec);
        return get(p.name()).parser().apply(p);
    }

    public static Set<String> names() {
        return Collections.unmodifiableSet(BY_NAME.keySet());
    }
}
