package io.lamina.app.experiment;

import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting.Use;
import io.lamina.app.config.TrainSetting;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads and validates an experiment file ({@code conf/experiments/*.yaml}):
 *
 * <pre>
 * name: granularity                      # optional; default: the file name without .yaml
 * description: Top-k 1% ...              # optional free text
 * output: runs/experiments/granularity   # optional; default runs/experiments/&lt;name&gt;; one folder per run inside
 * base:                                  # optional; settings shared by every run
 *   model: lenet                         #   keys = lamina train's options without the dashes
 *   batch: 64
 *   compressor: topk:0.01
 *   memory: residual
 * grid:                                  # each key maps to a non-empty list; runs = cartesian product,
 *   granularity: [layer, model, bucket:65536]   # the first key varying slowest
 * include:                               # optional; extra runs after the grid, each a map over base
 *   - {compressor: none, memory: none}
 * </pre>
 *
 * At least one of {@code grid} and {@code include} is required. Every problem (missing file, YAML
 * syntax, unknown key, wrong type, invalid value, empty list, duplicate value, a run whose
 * combination is invalid) throws {@link ExperimentFileException} naming the file, the key and what
 * is allowed. Parsed with SnakeYAML's {@link SafeConstructor}: only maps, lists and scalars, no
 * class instantiation, no duplicate keys.
 */
public final class ExperimentLoader {

    /** The top-level keys of an experiment file. */
    public static final List<String> TOP_LEVEL_KEYS = List.of("name", "description", "output", "base", "grid",
            "include");

    private final Path file;

    private ExperimentLoader(Path file) {
        this.file = file;
    }

    /** Loads {@code file}; runs go under its {@code output:} root. */
    public static Experiment load(Path file) {
        return load(file, null);
    }

    /** Loads {@code file}; runs go under {@code outputOverride} if not null, else under its {@code output:}. */
    public static Experiment load(Path file, String outputOverride) {
        ExperimentLoader l = new ExperimentLoader(file);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ExperimentFileException(file, null, "no such file (working directory: "
                    + Path.of("").toAbsolutePath() + ")");
        } catch (MalformedInputException e) {
            throw new ExperimentFileException(file, null, "not UTF-8 text", e);
        } catch (IOException e) {
            throw new ExperimentFileException(file, null, "cannot read: " + e, e);
        }
        return l.parse(text, outputOverride);
    }

    /** Parses YAML text; {@code file} is used in messages and as the default name. */
    public static Experiment parse(String yaml, Path file, String outputOverride) {
        return new ExperimentLoader(file).parse(yaml, outputOverride);
    }

    private Experiment parse(String yaml, String outputOverride) {
        Object root = readYaml(yaml);
        if (root == null) {
            throw fail(null, "is empty; expected a map with keys " + String.join(", ", TOP_LEVEL_KEYS));
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw fail(null, "must be a YAML map with keys " + String.join(", ", TOP_LEVEL_KEYS) + ", got "
                    + TrainSetting.describe(root));
        }
        for (Object k : top.keySet()) {
            if (!(k instanceof String ks) || !TOP_LEVEL_KEYS.contains(ks)) {
                throw fail(String.valueOf(k), "unknown key" + suggestion(String.valueOf(k), TOP_LEVEL_KEYS)
                        + "; allowed at the top level: " + String.join(", ", TOP_LEVEL_KEYS)
                        + (TrainSetting.byKey(String.valueOf(k), Use.YAML) != null ? " (training settings go under base: or grid:)" : ""));
            }
        }

        String name = optionalText(top, "name", defaultName());
        String description = optionalText(top, "description", "");
        String outputText = outputOverride != null ? outputOverride
                : optionalText(top, "output", "runs/experiments/" + name);
        Path output = Path.of(outputText);

        Map<TrainSetting, Object> base = settingsMap(top.get("base"), "base", true);

        Map<TrainSetting, List<Object>> grid = new LinkedHashMap<>();
        Object gridRaw = top.get("grid");
        if (gridRaw != null || top.containsKey("grid")) {
            if (!(gridRaw instanceof Map<?, ?> g) || g.isEmpty()) {
                throw fail("grid", "must map at least one setting to a list of values, e.g. "
                        + "grid: {compressor: [none, topk:0.01]}; got " + TrainSetting.describe(gridRaw));
            }
            for (Map.Entry<?, ?> e : g.entrySet()) {
                TrainSetting s = setting(e.getKey(), "grid");
                String where = "grid." + s.key();
                if (grid.containsKey(s)) {
                    throw fail(where, "given twice (as '" + e.getKey() + "' and its other spelling)");
                }
                if (!(e.getValue() instanceof List<?> list)) {
                    throw fail(where, "must be a list of values, e.g. [a, b]; got " + TrainSetting.describe(e.getValue())
                            + " (a single value belongs under base:)");
                }
                if (list.isEmpty()) {
                    throw fail(where, "empty list; give at least one value (" + s.allowed() + ")");
                }
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    Object v = value(s, list.get(i), where + "[" + i + "]");
                    int dup = values.indexOf(v);
                    if (dup >= 0) {
                        throw fail(where + "[" + i + "]", "duplicate value " + TrainSetting.display(v) + " (same as "
                                + where + "[" + dup + "]); each value gives one run");
                    }
                    values.add(v);
                }
                grid.put(s, values);
            }
        }

        List<Map<TrainSetting, Object>> include = new ArrayList<>();
        Object includeRaw = top.get("include");
        if (includeRaw != null || top.containsKey("include")) {
            if (!(includeRaw instanceof List<?> list) || list.isEmpty()) {
                throw fail("include", "must be a non-empty list of maps of settings, e.g. "
                        + "include: [{compressor: none, memory: none}]; got " + TrainSetting.describe(includeRaw));
            }
            for (int i = 0; i < list.size(); i++) {
                Map<TrainSetting, Object> m = settingsMap(list.get(i), "include[" + i + "]", false);
                if (m.isEmpty()) {
                    throw fail("include[" + i + "]", "empty map; give the settings that differ from base");
                }
                include.add(m);
            }
        }
        if (grid.isEmpty() && include.isEmpty()) {
            throw fail("grid", "missing: map at least one setting to a list of values, e.g. "
                    + "grid: {compressor: [none, topk:0.01]}");
        }

        // Columns: every key that differs between runs, grid keys first.
        LinkedHashSet<TrainSetting> columnSettings = new LinkedHashSet<>(grid.keySet());
        include.forEach(m -> columnSettings.addAll(m.keySet()));

        List<Map<TrainSetting, Object>> overrides = new ArrayList<>(cartesian(grid));
        List<String> origins = new ArrayList<>();
        overrides.forEach(o -> origins.add("grid"));
        for (int i = 0; i < include.size(); i++) {
            overrides.add(include.get(i));
            origins.add("include[" + i + "]");
        }

        List<ExperimentRun> runs = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < overrides.size(); i++) {
            Map<TrainSetting, Object> over = overrides.get(i);
            String id = runId(over);
            Integer other = ids.putIfAbsent(id, i);
            if (other != null) {
                throw fail(origins.get(i), "run " + (i + 1) + " has the same folder name '" + id + "' as run "
                        + (other + 1) + "; make the values differ in more than punctuation");
            }
            Map<TrainSetting, Object> merged = new EnumMap<>(TrainSetting.class);
            merged.putAll(base);
            merged.putAll(over);
            TrainConfig config;
            try {
                config = TrainConfig.defaults().with(merged).validate();
            } catch (IllegalArgumentException e) {
                throw fail("run '" + id + "' (" + origins.get(i) + " over base)", clean(e.getMessage()));
            }
            config = config.with(TrainSetting.OUTPUT, output.resolve(id).toString());
            runs.add(new ExperimentRun(i, id, byKey(over, over.keySet()), byKey(merged, merged.keySet()), config));
        }

        Map<String, List<Object>> gridByKey = new LinkedHashMap<>();
        grid.forEach((s, v) -> gridByKey.put(s.key(), List.copyOf(v)));
        return new Experiment(file, name, description, output, byKey(base, base.keySet()), gridByKey,
                columnSettings.stream().map(TrainSetting::key).toList(), List.copyOf(runs));
    }

    private Object readYaml(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(1 << 20);
        try {
            return new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (MarkedYAMLException e) {
            StringBuilder msg = new StringBuilder("not valid YAML");
            if (e.getProblemMark() != null) {
                msg.append(" at line ").append(e.getProblemMark().getLine() + 1).append(", column ")
                        .append(e.getProblemMark().getColumn() + 1);
            }
            msg.append(": ").append(e.getProblem());
            if (e.getContext() != null) {
                msg.append(" (").append(e.getContext());
                if (e.getContextMark() != null) {
                    msg.append(" at line ").append(e.getContextMark().getLine() + 1).append(", column ")
                            .append(e.getContextMark().getColumn() + 1);
                }
                msg.append(')');
            }
            throw fail(null, msg.toString(), e);
        } catch (YAMLException e) {
            throw fail(null, "not valid YAML: " + e.getMessage().strip().replaceAll("\\s*\\n\\s*", " "), e);
        }
    }

    /** A map of settings (base: or one include: entry), each value type-checked and validated. */
    private Map<TrainSetting, Object> settingsMap(Object raw, String where, boolean optional) {
        Map<TrainSetting, Object> out = new EnumMap<>(TrainSetting.class);
        if (raw == null && optional) {
            return out;
        }
        if (!(raw instanceof Map<?, ?> m)) {
            throw fail(where, "must be a map of settings (key: value), got " + TrainSetting.describe(raw)
                    + "; allowed keys: " + TrainSetting.allowedKeys(Use.YAML));
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            TrainSetting s = setting(e.getKey(), where);
            String at = where + "." + s.key();
            if (out.containsKey(s)) {
                throw fail(at, "given twice (as '" + e.getKey() + "' and its other spelling)");
            }
            if (e.getValue() instanceof List) {
                throw fail(at, "must be a single value, got " + TrainSetting.describe(e.getValue())
                        + (where.equals("base") ? "; to try several values, put the key under grid:" : ""));
            }
            out.put(s, value(s, e.getValue(), at));
        }
        return out;
    }

    private TrainSetting setting(Object key, String where) {
        String k = String.valueOf(key);
        TrainSetting s = key instanceof String ? TrainSetting.byKey(k, Use.YAML) : null;
        if (s == null) {
            String extra = switch (k) {
                case "output" -> " (each run's folder is <output>/<run>; set output: at the top level)";
                case "master" -> " (the cluster is chosen by lamina experiment --master)";
                case "batch-per-worker", "batch_per_worker" -> " (the key is batch)";
                default -> suggestion(k, TrainSetting.keys(Use.YAML));
            };
            throw fail(where + "." + k, "unknown setting" + extra + "; allowed: " + TrainSetting.allowedKeys(Use.YAML));
        }
        return s;
    }

    /** Coerces and checks one value on its own (its range, its parse); combinations are checked per run. */
    private Object value(TrainSetting s, Object raw, String where) {
        Object v;
        try {
            v = s.coerce(raw);
        } catch (IllegalArgumentException e) {
            throw fail(where, e.getMessage() + (s.type() == TrainSetting.Type.TEXT ? "" : "; allowed: " + s.allowed()));
        }
        try {
            s.checkAlone(v);
        } catch (IllegalArgumentException e) {
            throw fail(where, "invalid value " + TrainSetting.display(v) + ": " + clean(e.getMessage())
                    + (e.getMessage().contains("allowed") ? "" : "; allowed: " + s.allowed()));
        }
        return v;
    }

    private String optionalText(Map<?, ?> top, String key, String def) {
        if (!top.containsKey(key)) {
            return def;
        }
        Object v = top.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw fail(key, "must be a non-empty string, got " + TrainSetting.describe(v));
        }
        return s.trim();
    }

    private String defaultName() {
        Path f = file.getFileName();
        String n = f == null ? "experiment" : f.toString();
        return n.replaceFirst("\\.(ya?ml)$", "");
    }

    private static List<Map<TrainSetting, Object>> cartesian(Map<TrainSetting, List<Object>> grid) {
        List<Map<TrainSetting, Object>> runs = new ArrayList<>();
        if (grid.isEmpty()) {
            return runs;
        }
        runs.add(new LinkedHashMap<>());
        for (Map.Entry<TrainSetting, List<Object>> e : grid.entrySet()) {
            List<Map<TrainSetting, Object>> next = new ArrayList<>();
            for (Map<TrainSetting, Object> partial : runs) {
                for (Object v : e.getValue()) {
                    Map<TrainSetting, Object> m = new LinkedHashMap<>(partial);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            runs = next;
        }
        return runs;
    }

    /** {@code compressor=topk_0.01,granularity=model}: key=value pairs, characters outside [A-Za-z0-9._-] as _. */
    static String runId(Map<TrainSetting, Object> overrides) {
        List<String> parts = new ArrayList<>();
        overrides.forEach((s, v) -> parts.add(s.key() + "=" + TrainSetting.display(v).replaceAll("[^A-Za-z0-9._-]", "_")));
        return String.join(",", parts);
    }

    private static Map<String, Object> byKey(Map<TrainSetting, Object> m, Set<TrainSetting> order) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (TrainSetting s : order) {
            out.put(s.key(), m.get(s));
        }
        return out;
    }

    /** TrainConfig speaks in CLI options (--batch); in a YAML file the key is batch. */
    private static String clean(String message) {
        return message == null ? "" : message.replaceAll("--([a-z][a-z-]*)", "$1");
    }

    private static String suggestion(String key, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key.toLowerCase(java.util.Locale.ROOT), k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= 2 ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private ExperimentFileException fail(String key, String problem) {
        return new ExperimentFileException(file, key, problem);
    }

    private ExperimentFileException fail(String key, String problem, Throwable cause) {
        return new ExperimentFileException(file, key, problem, cause);
    }
}
