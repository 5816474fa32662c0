package io.lamina.compression.method;

import io.lamina.compression.CompressorSpec;
import java.util.Set;

/** Parses compressor specs: {@code Compressors.parse("topk:0.01")}; the methods are {@link Methods}'. */
public final class Compressors {

    private Compressors() {
    }

    /**
     * Parses {@code name[:params]}.
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones) or a bad parameter
     */
    public static CompressorSpec parse(String spec) {
        return Methods.parse(spec);
    }

    /** The registered names, sorted. */
    public static Set<String> names() {
        return Methods.names();
    }
}
