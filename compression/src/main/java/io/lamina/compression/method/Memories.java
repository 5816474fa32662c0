package io.lamina.compression.method;

import io.lamina.compression.MemorySpec;
import io.lamina.compression.SpecParams;
import io.lamina.compression.memory.NoMemory;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The registry of memories by name: {@code Memories.parse("residual:beta=1,gamma=1")}. */
public final class Memories {

    private static final Map<String, Function<SpecParams, MemorySpec>> REGISTRY = new TreeMap<>();

    static {
        REGISTRY.put("none", p -> {
            p.allowOnly(java.util.Set.of());
            return NoMemory.SPEC;
        });
        REGISTRY.put("residual", io.lamina.compression.memory.ResidualMemory::parse);
        REGISTRY.put("efsign", io.lamina.compression.memory.ResidualMemory::parseEfSign);
        REGISTRY.put("dgc", io.lamina.compression.memory.DgcMemory::parse);
    }

    private Memories() {
    }

    /** Parses {@code name[:params]}; unknown names fail listing the known ones. */
    public static MemorySpec parse(String spec) {
        SpecParams p = SpecParams.parse(spec);
        Function<SpecParams, MemorySpec> f = REGISTRY.get(p.name());
        if (f == null) {
            throw new IllegalArgumentException("unknown memory '" + p.name() + "'; allowed: "
                    + String.join(", ", REGISTRY.keySet()));
        }
        return f.apply(p);
    }

    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(REGISTRY.keySet());
    }
}
