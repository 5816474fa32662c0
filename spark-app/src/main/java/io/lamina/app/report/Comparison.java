package io.lamina.app.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the report compares: the runs with a readable label each, the target accuracy, each run's
 * figures, the layer-wise / entire-model accuracy ratio of runs that differ only in granularity,
 * and each run's uncompressed reference (for speedups).
 */
public final class Comparison {

    /** The settings a label may show when they differ between runs (besides method and granularity). */
    private static final List<String> LABEL_SETTINGS = List.of("model", "data", "workers", "batch_per_worker",
            "steps", "epochs", "optimizer", "learning_rate", "momentum", "optimizer_on", "lr_schedule",
            "warmup_steps", "seed", "tree_depth");
    private static final Set<String> NOT_SETTINGS = Set.of("output", "master");

    /**
     * The accuracy the "to target" columns measure against, and how it was chosen. When each run
     * is measured against its own {@code none} reference, {@code how} names every target and
     * {@code accuracy} is the highest of them.
     */
    public record Target(double accuracy, String how) {
    }

    private final List<RunData> runs;
    private final Target target;
    private final String targetNote;
    private final Double givenTarget;
    private final boolean perReference;
    private final Map<RunData, String> labels = new HashMap<>();
    private final Map<RunData, RunFigures> figures = new HashMap<>();
    private final Map<RunData, Double> granularityRatio = new HashMap<>();
    private final List<String> varying = new ArrayList<>();

    public Comparison(List<RunData> runs, Double explicitTarget) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no run to compare");
        }
        this.runs = List.copyOf(runs);
        this.givenTarget = explicitTarget;
        labelRuns();
        // Each run is measured against its own reference: with SGD and Nesterov in one grid, one
        // target for all would be out of reach for the weaker optimizer's runs.
        Map<RunData, Double> targets = new HashMap<>();
        Map<RunData, Double> referenceTargets = new LinkedHashMap<>();
        for (RunData r : runs) {
            RunData ref = explicitTarget != null ? null : reference(r);
            Double best = ref == null ? null : RunFigures.of(ref, null).bestAccuracy();
            Double t = explicitTarget != null ? explicitTarget : best == null ? null : 0.95 * best;
            targets.put(r, t);
            if (best != null) {
                referenceTargets.put(ref, t);
            }
        }
        perReference = explicitTarget == null && referenceTargets.size() > 1;
        if (explicitTarget != null) {
            target = new Target(explicitTarget, "given with --target-accuracy");
        } else if (referenceTargets.size() == 1) {
            RunData ref = referenceTargets.keySet().iterator().next();
            target = new Target(referenceTargets.get(ref), String.format(Locale.ROOT,
                    "95%% of the best `none` run's best test accuracy (%.2f%%, %s)",
                    100 * RunFigures.of(ref, null).bestAccuracy(), label(ref)));
        } else if (!referenceTargets.isEmpty()) {
            StringBuilder how = new StringBuilder("95% of the best test accuracy of each run's `none` reference (the "
                    + "`none` run with its settings apart from compression): ");
            String sep = "";
            for (Map.Entry<RunData, Double> e : referenceTargets.entrySet()) {
                how.append(sep).append(String.format(Locale.ROOT, "%.2f%% for %s", 100 * e.getValue(),
                        label(e.getKey())));
                sep = "; ";
            }
            // the highest of the targets stands for them in the note's figure; the text names each
            target = new Target(referenceTargets.values().stream().max(Double::compare).orElseThrow(), how.toString());
        } else {
            target = null;
        }
        targetNote = target != null ? null
                : "no `none` run and no --target-accuracy: the steps and time to a target accuracy are left blank";
        for (RunData r : runs) {
            figures.put(r, RunFigures.of(r, targets.get(r)));
        }
        pairGranularities();
    }

    /** Whether runs are measured against more than one target (one per `none` reference). */
    public boolean targetsPerReference() {
        return perReference;
    }

    /** The target given with --target-accuracy, or null. */
    public Double givenTarget() {
        return givenTarget;
    }

    public List<RunData> runs() {
        return runs;
    }

    /** The target, or null when there is neither a {@code none} run nor an explicit target. */
    public Target target() {
        return target;
    }

    /** Why there is no target (null when there is one). */
    public String targetNote() {
        return targetNote;
    }

    public String label(RunData r) {
        return labels.get(r);
    }

    public RunFigures figures(RunData r) {
        return figures.get(r);
    }

    /** Final accuracy layer-wise / entire model for a run that has a granularity twin, else null. */
    public Double granularityRatio(RunData r) {
        return granularityRatio.get(r);
    }

    /** The method: compressor, with its memory unless none. */
    public static String method(RunData r) {
        return r.memory().isEmpty() || r.memory().equals("none") ? r.compressor() : r.compressor() + " + " + r.memory();
    }

    /** Granularity as a reader says it. */
    public static String granularityName(String g) {
        return switch (g) {
            case "layer" -> "layer-wise";
            case "model" -> "entire model";
            default -> g.startsWith("bucket:") ? "buckets of " + g.substring(7) : g;
        };
    }

    /**
     * The uncompressed run to compare {@code r} with: a {@code none} run with the same settings
     * apart from compression (else one of the same model), or null.
     */
    public RunData reference(RunData r) {
        Map<String, Object> key = settingsWithout(r, "compressor", "memory", "granularity", "optimizer_on",
                "optimizer_on_resolved");
        RunData sameModel = null;
        for (RunData n : runs) {
            if (!n.isUncompressed()) {
                continue;
            }
            if (settingsWithout(n, "compressor", "memory", "granularity", "optimizer_on", "optimizer_on_resolved")
                    .equals(key)) {
                return n;
            }
            if (sameModel == null && n.setting("model").equals(r.setting("model"))) {
                sameModel = n;
            }
        }
        return sameModel;
    }

    /**
     * The run with the same settings as {@code r} except the worker count, and the fewest workers
     * below {@code r}'s, or null: what the cost model's projection to {@code r}'s worker count can
     * be checked from.
     */
    public RunData fewerWorkers(RunData r) {
        Map<String, Object> key = settingsWithout(r, "workers");
        RunData best = null;
        for (RunData o : runs) {
            if (o.workers() < r.workers() && settingsWithout(o, "workers").equals(key)
                    && (best == null || o.workers() < best.workers())) {
                best = o;
            }
        }
        return best;
    }

    /**
     * A label for what runs share when they differ only in the given settings: the method and the
     * other settings that vary in this comparison (e.g. "topk:0.01, optimizer=nesterov").
     */
    public String labelWithout(RunData r, String... settings) {
        List<String> skip = List.of(settings);
        StringBuilder sb = new StringBuilder(method(r));
        if (!skip.contains("granularity")) {
            sb.append(", ").append(granularityName(r.granularity()));
        }
        for (String k : varying) {
            if (!skip.contains(k)) {
                sb.append(", ").append(k).append('=').append(r.config().get(k));
            }
        }
        return sb.toString();
    }

    private void labelRuns() {
        for (String k : LABEL_SETTINGS) {
            if (runs.stream().map(r -> Objects.toString(r.config().get(k))).distinct().count() > 1) {
                varying.add(k);
            }
        }
        Map<String, Integer> uses = new HashMap<>();
        for (RunData r : runs) {
            StringBuilder sb = new StringBuilder(method(r)).append(", ").append(granularityName(r.granularity()));
            for (String k : varying) {
                sb.append(", ").append(k).append('=').append(r.config().get(k));
            }
            labels.put(r, sb.toString());
            uses.merge(sb.toString(), 1, Integer::sum);
        }
        for (RunData r : runs) {
            if (uses.get(labels.get(r)) > 1) { // the same settings twice: tell them apart by folder
                labels.put(r, labels.get(r) + " (" + r.dir().getFileName() + ")");
            }
        }
    }

    /** Pairs runs that differ only in granularity (layer vs model), as the AAAI'20 paper's tables do. */
    private void pairGranularities() {
        Map<Map<String, Object>, RunData> layer = new LinkedHashMap<>();
        Map<Map<String, Object>, RunData> model = new LinkedHashMap<>();
        for (RunData r : runs) {
            Map<Map<String, Object>, RunData> side = switch (r.granularity()) {
                case "layer" -> layer;
                case "model" -> model;
                default -> null;
            };
            if (side != null) {
                side.putIfAbsent(settingsWithout(r, "granularity"), r);
            }
        }
        layer.forEach((key, l) -> {
            RunData m = model.get(key);
            Double la = figures.get(l).finalAccuracy();
            Double ma = m == null ? null : figures.get(m).finalAccuracy();
            if (la != null && ma != null && ma > 0) {
                granularityRatio.put(l, la / ma);
                granularityRatio.put(m, la / ma);
            }
        });
    }

    static Map<String, Object> settingsWithout(RunData r, String... keys) {
        Map<String, Object> m = new TreeMap<>(r.config());
        NOT_SETTINGS.forEach(m::remove);
        for (String k : keys) {
            m.remove(k);
        }
        return m;
    }
}
