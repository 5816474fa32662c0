package io.lamina.app.config;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.MemorySpec;
import io.lamina.compression.method.AutoPayload;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code --optimizer-on} asks for: a placement, or {@link #AUTO} (the default), which
 * {@link #resolve resolves} to the workers for a biased sparsifier with error feedback and to the
 * master otherwise ({@link AutoPayload} says why). The engine only ever sees the resolved
 * {@link OptimizerPlacement}.
 */
public enum OptimizerOn {
    AUTO,
    MASTER,
    WORKERS;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static String allowed() {
        return Arrays.stream(values()).map(OptimizerOn::cliName).collect(Collectors.joining(", "));
    }

    /** @throws IllegalArgumentException naming the allowed values */
    public static OptimizerOn parse(String name) {
        for (OptimizerOn p : values()) {
            if (p.cliName().equals(name == null ? null : name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown --optimizer-on '" + name + "'; allowed: " + allowed());
    }

    /** The placement for this compressor and memory, and why when auto chose it. */
    public ResolvedPlacement resolve(CompressorSpec compressor, MemorySpec memory) {
        return switch (this) {
            case MASTER -> new ResolvedPlacement(OptimizerPlacement.MASTER, null);
            case WORKERS -> new ResolvedPlacement(OptimizerPlacement.WORKERS, null);
            case AUTO -> {
                AutoPayload.Choice choice = AutoPayload.choose(compressor, memory);
                yield new ResolvedPlacement(OptimizerPlacement.of(choice.payload()), "auto: " + choice.why());
            }
        };
    }
}
