package io.lamina.compression.bench;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.method.Compressors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The representative setting of each method the benchmarks run, by registry name. A method that
 * is not (yet) registered is skipped with a line saying so; a registered name missing from this
 * table is benchmarked with its defaults.
 */
final class BenchSpecs {

    /** Method name to spec string, in the order of the report. */
    static final Map<String, String> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("none", "none");
        SETTINGS.put("fp16", "fp16");
        SETTINGS.put("bf16", "bf16");
        SETTINGS.put("8bit", "8bit");
        SETTINGS.put("qsgd", "qsgd:s=256");
        SETTINGS.put("qsgd-bucket", "qsgd:s=256,bucket=512");
        SETTINGS.put("terngrad", "terngrad");
        SETTINGS.put("terngrad-bucket", "terngrad:bucket=512");
        SETTINGS.put("natural", "natural");
        SETTINGS.put("signsgd", "signsgd");
        SETTINGS.put("signum", "signum");
        SETTINGS.put("efsign", "efsign");
        SETTINGS.put("onebit", "onebit");
        SETTINGS.put("topk", "topk:0.01");
        SETTINGS.put("randomk", "randomk:0.01");
        SETTINGS.put("threshold", "threshold:v=" + String.format(Locale.ROOT, "%.4f", BenchData.THRESHOLD_1PCT));
        SETTINGS.put("adaptive", "adaptive");
        SETTINGS.put("adaptive-tau", "adaptive-tau:0.01");
        SETTINGS.put("dgc", "dgc:0.01");
        SETTINGS.put("powersgd", "powersgd:rank=2");
    }

    /** Every method name the JMH parameter lists by default (keep in sync with SETTINGS). */
    static final String ALL = "none,fp16,bf16,8bit,qsgd,qsgd-bucket,terngrad,terngrad-bucket,natural,signsgd,signum,efsign,onebit,"
            + "topk,randomk,threshold,adaptive,adaptive-tau,dgc,powersgd";

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

    /** The methods to run: those of SETTINGS that are registered, then any other registered name. */
    static List<String> available() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : SETTINGS.entrySet()) {
            if (Compressors.names().contains(registryName(e.getValue()))) {
                out.add(e.getKey());
            } else {
                System.out.println("SKIP " + e.getKey() + ": not registered in Compressors (registered: "
                        + String.join(", ", Compressors.names()) + ")");
            }
        }
        for (String m : Compressors.names()) {
            if (!SETTINGS.containsKey(m)) {
                System.out.println("NOTE " + m + ": registered but has no benchmark setting; running its defaults");
                out.add(m);
            }
        }
        return out;
    }

    /** Whether the method drops coordinates (bytes per kept element are reported for these). */
    static boolean sparsifier(String method) {
        return switch (method) {
            case "topk", "randomk", "threshold", "adaptive", "adaptive-tau", "dgc" -> true;
            default -> false;
        };
    }
}
