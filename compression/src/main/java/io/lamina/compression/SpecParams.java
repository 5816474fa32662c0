package io.lamina.compression;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of a {@code name[:params]} spec string. {@code params} is either one positional
 * value ({@code topk:0.01}) or comma-separated {@code key=value} pairs ({@code qsgd:s=256}).
 * Getters validate ranges and fail with a message that names the spec, the key and what is allowed.
 */
public final class SpecParams {

    private final String spec;
    private final String name;
    private final String positional;
    private final Map<String, String> named;

    private SpecParams(String spec, String name, String positional, Map<String, String> named) {
        this.spec = spec;
        this.name = name;
        this.positional = positional;
        this.named = named;
    }

    /** Splits {@code name[:params]}; the name is lower-cased. */
    public static SpecParams parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty spec");
        }
        String s = spec.trim();
        int colon = s.indexOf(':');
        String name = (colon < 0 ? s : s.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : s.substring(colon + 1).trim();
        String positional = null;
        Map<String, String> named = new LinkedHashMap<>();
        if (!rest.isEmpty()) {
            for (String part : rest.split(",")) {
                String p = part.trim();
                int eq = p.indexOf('=');
                if (eq < 0) {
                    if (positional != null || !named.isEmpty()) {
                        throw new IllegalArgumentException("spec '" + spec
                                + "': only one positional parameter is allowed, then key=value pairs");
                    }
                    positional = p;
                } else {
                    named.put(p.substring(0, eq).trim().toLowerCase(Locale.ROOT), p.substring(eq + 1).trim());
                }
            }
        }
        return new SpecParams(spec, name, positional, named);
    }

    public String name() {
        return name;
    }

    public String spec() {
        return spec;
    }

    /** Fails if a named key is not in {@code allowed}, listing the allowed keys. */
    public SpecParams allowOnly(Set<String> allowed) {
        for (String k : named.keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("spec '" + spec + "': unknown parameter '" + k
                        + "'; allowed: " + (allowed.isEmpty() ? "none" : String.join(", ", allowed)));
            }
        }
        if (allowed.isEmpty() && positional != null) {
            throw new IllegalArgumentException("spec '" + spec + "': '" + name + "' takes no parameters");
        }
        return this;
    }

    /**
     * The value of {@code key}, or the positional value if {@code positionalKey} is true and no
     * such key was given, or {@code def}; checked to lie in {@code [min, max]}.
     */
    public double getDouble(String key, boolean positionalKey, double def, double min, double max) {
        String raw = named.containsKey(key) ? named.get(key) : (positionalKey ? positional : null);
        double v = def;
        if (raw != null) {
            try {
                v = Double.parseDouble(raw);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("spec '" + spec + "': " + key + " must be a number, got '" + raw + "'");
            }
        }
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException("spec '" + spec + "': " + key + " = " + v
                    + " is out of range; allowed: [" + min + ", " + max + "]");
        }
        return v;
    }

    /** As {@link #getDouble} for integers. */
    public int getInt(String key, boolean positionalKey, int def, int min, int max) {
        String raw = named.containsKey(key) ? named.get(key) : (positionalKey ? positional : null);
        int v = def;
        if (raw != null) {
            try {
                v = Integer.parseInt(raw.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("spec '" + spec + "': " + key + " must be an integer, got '" + raw + "'");
            }
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("spec '" + spec + "': " + key + " = " + v
                    + " is out of range; allowed: [" + min + ", " + max + "]");
        }
        return v;
    }

    /** The raw string of {@code key} (or the positional one), or {@code def}. */
    public String getString(String key, boolean positionalKey, String def) {
        String raw = named.containsKey(key) ? named.get(key) : (positionalKey ? positional : null);
        return raw == null ? def : raw;
    }

    public boolean has(String key) {
        return named.containsKey(key);
    }
}
