package io.lamina.compression.method;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.SpecParams;
import io.lamina.compression.identity.NoneCompressor;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The registry of compressors by name: {@code Compressors.parse("topk:0.01")}. Each entry parses
 * and validates its parameters into a {@link CompressorSpec}.
 */
public final class Compressors {

    private static final Map<String, Function<SpecParams, CompressorSpec>> REGISTRY = new TreeMap<>();

    static {
        REGISTRY.put("none", p -> {
            p.allowOnly(java.util.Set.of());
            return NoneCompressor.SPEC;
        });
        REGISTRY.put("fp16", io.lamina.compression.quant.HalfCompressor::parse);
        REGISTRY.put("bf16", io.lamina.compression.quant.HalfCompressor::parse);
        REGISTRY.put("qsgd", io.lamina.compression.quant.QsgdCompressor::parse);
        REGISTRY.put("terngrad", io.lamina.compression.quant.TernGradCompressor::parse);
        REGISTRY.put("natural", io.lamina.compression.quant.NaturalCompressor::parse);
        REGISTRY.put("8bit", io.lamina.compression.quant.EightBitCompressor::parse);
        REGISTRY.put("signsgd", io.lamina.compression.sign.SignSgdCompressor::parse);
        REGISTRY.put("signum", io.lamina.compression.sign.SignumCompressor::parse);
        REGISTRY.put("efsign", io.lamina.compression.sign.EfSignCompressor::parse);
        REGISTRY.put("onebit", io.lamina.compression.sign.OneBitCompressor::parse);
        REGISTRY.put("topk", io.lamina.compression.sparse.TopKCompressor::parse);
        REGISTRY.put("randomk", io.lamina.compression.sparse.RandomKCompressor::parse);
        REGISTRY.put("threshold", io.lamina.compression.sparse.ThresholdCompressor::parse);
        REGISTRY.put("adaptive", io.lamina.compression.sparse.AdaptiveCompressor::parse);
        REGISTRY.put("adaptive-tau", io.lamina.compression.sparse.AdaptiveTauCompressor::parse);
        REGISTRY.put("dgc", io.lamina.compression.sparse.DgcCompressor::parse);
        REGISTRY.put("powersgd", io.lamina.compression.lowrank.PowerSgdSpec::parse);
    }

    private Compressors() {
    }

    /**
     * Parses {@code name[:params]}.
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones) or a bad parameter
     */
    public static CompressorSpec parse(String spec) {
        SpecParams p = SpecParams.parse(spec);
        Function<SpecParams, CompressorSpec> f = REGISTRY.get(p.name());
        if (f == null) {
            throw new IllegalArgumentException("unknown compressor '" + p.name() + "'; allowed: "
                    + String.join(", ", REGISTRY.keySet()));
        }
        return f.apply(p);
    }

    /** The registered names, sorted. */
    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(REGISTRY.keySet());
    }
}
