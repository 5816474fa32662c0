package io.lamina.compression.bench;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.method.Family;
import io.lamina.compression.method.Method;
import io.lamina.compression.method.Methods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings the benchmarks run, derived from the registry ({@link Methods}): each method's first
 * example spec under its name, with the few bench-specific rows below (a data-dependent threshold,
 * bucketed variants of QSGD and TernGrad) on top.
 */
final class BenchSpecs {

    /** Spec strings the bench uses instead of the registry's first example. */
    private static final Map<String, String> OVERRIDES = Map.of(
            "threshold", "threshold:v=" + String.format(Locale.ROOT, "%.4f", BenchData.THRESHOLD_1PCT),
            // about what Top-k 1% sends at 1M elements (10,000 entries at ~3.2 bytes)
            "topk-budget", "topk:budget=32k");

    /** Extra rows, each right after its method's row. */
    private static final Map<String, Map<String, String>> EXTRA_ROWS = Map.of(
            "qsgd", Map.of("qsgd-bucket", "qsgd:s=256,bucket=512"),
            "terngrad", Map.of("terngrad-bucket", "terngrad:bucket=512"));

    /** Row name to spec string, in the order of the report. */
    static final Map<String, String> SETTINGS = new LinkedHashMap<>();

    static {
        for (Method m : Methods.all()) {
            SETTINGS.put(m.name(), OVERRIDES.getOrDefault(m.name(), m.examples().get(0)));
            SETTINGS.putAll(EXTRA_ROWS.getOrDefault(m.name(), Map.of()));
        }
    }

    private BenchSpecs() {
    }

    /**
     * The spec of {@code method} (a registry name, or a row name of SETTINGS such as
     * {@code qsgd-bucket} whose spec names a registered compressor), or null if that compressor
     * is not registered.
     */
    static CompressorSpec resolve(String method) {
        String spec = SETTINGS.getOrDefault(method, method);
        if (!Compressors.names().contains(registryName(spec))) {
            return null;
        }
        return Compressors.parse(spec);
    }

    /** The compressor name of a spec string: the part before the first ':'. */
    static String registryName(String spec) {
        int colon = spec.indexOf(':');
        return colon < 0 ? spec : spec.substring(0, colon);
    }

    /** The rows to run: every registered method, and the extra rows. */
    static List<String> available() {
        return new ArrayList<>(SETTINGS.keySet());
    }

    /** Whether the method drops coordinates (bytes per kept element are reported for these). */
    static boolean sparsifier(String method) {
        return Methods.get(registryName(SETTINGS.getOrDefault(method, method))).family() == Family.SPARSIFIER;
    }
}
