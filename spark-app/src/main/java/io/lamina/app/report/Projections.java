package io.lamina.app.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cost model applied to every run of a comparison, for each (workers, bandwidth) asked with
 * {@code --project workers=8,32,128 bandwidth=1,10,25 [latency_ms=0.1]}: the runs' measured
 * profiles, one table per (W, B), and the model's assumptions in words.
 */
public final class Projections {

    /** The default per-message latency: a small request inside one data centre. */
    public static final double DEFAULT_LATENCY_MS = 0.1;

    /** What to project: worker counts, link speeds in Gbit/s, the latency in ms. */
    public record Grid(List<Integer> workers, List<Double> gbitPerSecond, double latencyMs) {

        /** Parses {@code key=v1,v2,...} tokens; throws IllegalArgumentException saying what is allowed. */
        public static Grid parse(List<String> tokens) {
            Map<String, String> kv = new LinkedHashMap<>();
            for (String t : tokens) {
                int eq = t.indexOf('=');
                String key = eq < 0 ? t : t.substring(0, eq).trim();
                if (eq < 0 || !List.of("workers", "bandwidth", "latency_ms").contains(key)) {
                    throw new IllegalArgumentException("--project takes workers=<n,...> bandwidth=<Gbit/s,...> "
                            + "[latency_ms=<ms>], got '" + t + "'");
                }
                if (kv.put(key, t.substring(eq + 1).trim()) != null) {
                    throw new IllegalArgumentException("--project: " + key + " given twice");
                }
            }
            if (!kv.containsKey("workers") || !kv.containsKey("bandwidth")) {
                throw new IllegalArgumentException("--project needs both workers=<n,...> and bandwidth=<Gbit/s,...>, "
                        + "e.g. --project workers=8,32,128 bandwidth=1,10,25");
            }
            List<Integer> w = new ArrayList<>();
            for (String s : kv.get("workers").split(",")) {
                int n = (int) number("workers", s);
                if (n < 1 || n != number("workers", s)) {
                    throw new IllegalArgumentException("--project workers: '" + s + "' is not a whole number >= 1");
                }
                w.add(n);
            }
            List<Double> b = new ArrayList<>();
            for (String s : kv.get("bandwidth").split(",")) {
                double g = number("bandwidth", s);
                if (!(g > 0)) {
                    throw new IllegalArgumentException("--project bandwidth: '" + s + "' must be > 0 (Gbit/s)");
                }
                b.add(g);
            }
            double latency = kv.containsKey("latency_ms") ? number("latency_ms", kv.get("latency_ms")) : DEFAULT_LATENCY_MS;
            if (latency < 0) {
                throw new IllegalArgumentException("--project latency_ms must be >= 0, got " + latency);
            }
            return new Grid(List.copyOf(w), List.copyOf(b), latency);
        }

        private static double number(String key, String s) {
            try {
                double v = Double.parseDouble(s.trim());
                if (Double.isFinite(v)) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--project " + key + ": '" + s + "' is not a number");
        }
    }

    private final Comparison c;
    private final Grid grid;
    private final CostModel model;
    private final Map<RunData, CostModel.Profile> profiles = new LinkedHashMap<>();

    public Projections(Comparison c, Grid grid) {
        this.c = c;
        this.grid = grid;
        this.model = new CostModel(grid.latencyMs());
        c.runs().forEach(r -> profiles.put(r, profile(r)));
    }

    /** A run's profile: medians of compute and encode, mean bytes per segment per worker, median downlink per worker. */
    static CostModel.Profile profile(RunData r) {
        List<RunData.Step> steps = r.steps();
        Map<String, double[]> segs = new LinkedHashMap<>(); // name -> {bytes sum, elements, count}
        for (RunData.Step s : steps) {
            for (RunData.Segment g : s.segments()) {
                double[] a = segs.computeIfAbsent(g.name(), k -> new double[3]);
                a[0] += g.uplinkBytes();
                a[1] = g.elements();
                a[2]++;
            }
        }
        int w = r.workers();
        double[] bytes = new double[segs.size()];
        long[] elements = new long[segs.size()];
        int j = 0;
        for (double[] a : segs.values()) {
            bytes[j] = a[0] / a[2] / w;
            elements[j++] = (long) a[1];
        }
        if (segs.isEmpty()) { // a run without segment records: its whole message as one segment
            bytes = new double[] {steps.stream().mapToLong(RunData.Step::uplinkBytes).average().orElse(0) / w};
            elements = new long[] {0};
        }
        double compute = median(steps.stream().mapToDouble(RunData.Step::computeMaxMs).filter(Double::isFinite).toArray())
                + median(steps.stream().mapToDouble(RunData.Step::encodeMeanMs).toArray());
        double merged = median(steps.stream().mapToDouble(s -> (double) s.downlinkBytes() / w).toArray());
        return new CostModel.Profile(compute, bytes, elements, merged, w, r.treeDepth());
    }

    public CostModel.Projection project(RunData r, int workers, double gbit) {
        return model.project(profiles.get(r), workers, gbit);
    }

    /** Throughput of {@code r} over that of its {@code none} reference at the same (W, B), or null. */
    public Double speedup(RunData r, int workers, double gbit) {
        RunData ref = c.reference(r);
        if (ref == null || r.batchPerWorker() == 0 || ref.batchPerWorker() == 0) {
            return null;
        }
        double mine = r.batchPerWorker() / project(r, workers, gbit).stepMs();
        double theirs = ref.batchPerWorker() / project(ref, workers, gbit).stepMs();
        return mine / theirs;
    }

    /** The model in words, for the report. */
    public String assumptions() {
        return String.format(Locale.ROOT, """
                Step time T = C + U + D (no overlap of communication with compute), for W workers each on one \
                full-duplex link of B Gbit/s, per-message latency alpha = %s ms:
                * C: the run's median compute_max_ms + median encode_mean_ms; the per-worker batch stays the same, \
                so C does not change with W.
                * U (uplink): a tree of the run's depth d with fan-out f = max(2, ceil(W^(1/d))), as Lamina's merge \
                tree; each level costs alpha + k x (largest child message) / B, k = the children per node (they share \
                the parent's link).
                * Message sizes: a worker's message per segment (measured uplink bytes / workers, mean over steps); a \
                merged message covering n workers is, per segment, min(rho x n x the worker's message, dense fp32 \
                size), rho fitted so that the merged message at the run's own W matches its measured downlink \
                (an upper bound for sparsifiers: it assumes the workers' kept coordinates do not overlap).
                * D (downlink): the merged message of all W workers broadcast along a binomial tree from the driver: \
                ceil(log2(W+1)) rounds of alpha + size / B.
                * Not modelled: Spark's scheduling and task launch, serialisation, the driver's decode, stragglers. \
                Speedup = samples/s over that of the `none` run with the same settings at the same W and B.""",
                trim(grid.latencyMs()));
    }

    /** The measured profiles as a Markdown table. */
    public String profileTable() {
        StringBuilder sb = new StringBuilder("| run | workers measured | C: compute + encode ms | worker message | merged message "
                + "(measured, per worker) | rho | tree depth |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        profiles.forEach((r, p) -> sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %s | %s | %.2f | %d |%n",
                c.label(r), p.workers(), p.computeMs(), ReportTable.bytes(p.workerBytes()),
                ReportTable.bytes(p.mergedBytes()), CostModel.rho(p), p.treeDepth())));
        return sb.toString();
    }

    /** Headers of {@link #checkRows()}. */
    public static List<String> checkHeaders() {
        return List.of("run", "projected from", "worker message (measured)", "merged message per worker: projected",
                "measured", "projected / measured");
    }

    /**
     * The model's message sizes checked against runs that were measured at more workers: for each
     * run with a sibling at fewer workers ({@link Comparison#fewerWorkers}), S(W) projected from the
     * sibling's profile beside the run's own measured merged (downlink) message per worker. Empty
     * when no two runs differ only in workers.
     */
    public List<List<String>> checkRows() {
        List<List<String>> rows = new ArrayList<>();
        for (RunData r : c.runs()) {
            RunData from = c.fewerWorkers(r);
            if (from == null) {
                continue;
            }
            CostModel.Profile p = profiles.get(from);
            double projected = CostModel.merged(p, CostModel.rho(p), r.workers());
            double measured = profiles.get(r).mergedBytes();
            rows.add(List.of(c.label(r), from.workers() + " workers", ReportTable.bytes(profiles.get(r).workerBytes()),
                    ReportTable.bytes(projected), ReportTable.bytes(measured),
                    measured > 0 ? String.format(Locale.ROOT, "%.3f", projected / measured) : ""));
        }
        return rows;
    }

    /** What the check can and cannot show, for the report. */
    public static final String CHECK_NOTE = "The merged message is the model's only size that depends on W; "
            + "it is an upper bound for sparsifiers (it assumes the workers' kept coordinates do not overlap), so "
            + "a ratio a little above 1 is expected. The time terms are not checked against these runs: on one "
            + "machine the links are loopback (U and D near zero) and the measured step is compute plus Spark's "
            + "per-job cost, which the model leaves out (`lamina bench` measures that floor).";

    /** Headers of each (W, B) table. */
    public static List<String> headers() {
        return List.of("run", "tree (levels x fan-out)", "compute ms", "uplink ms", "downlink ms", "step ms",
                "samples/s", "speedup vs none");
    }

    /** Rows of the table for (W, B), one per run. */
    public List<List<String>> rows(int workers, double gbit) {
        List<List<String>> rows = new ArrayList<>();
        for (RunData r : c.runs()) {
            CostModel.Projection p = project(r, workers, gbit);
            Double s = speedup(r, workers, gbit);
            rows.add(Arrays.asList(c.label(r), p.levels() + " x " + p.fanout(), f2(p.computeMs()), f2(p.uplinkMs()),
                    f2(p.downlinkMs()), f2(p.stepMs()),
                    String.format(Locale.ROOT, "%.0f", 1000.0 * workers * r.batchPerWorker() / p.stepMs()),
                    s == null ? "" : String.format(Locale.ROOT, "%.2fx", s)));
        }
        return rows;
    }

    public Grid grid() {
        return grid;
    }

    /** The whole projection section as Markdown. */
    public String markdown() {
        StringBuilder sb = new StringBuilder("## Projected step time (communication cost model)\n\n");
        sb.append(assumptions()).append("\n\nMeasured inputs:\n\n").append(profileTable());
        List<List<String>> check = checkRows();
        if (!check.isEmpty()) {
            sb.append("\n### Checked against runs measured at more workers\n\n");
            sb.append("| ").append(String.join(" | ", checkHeaders())).append(" |\n");
            sb.append("|").append(" --- |".repeat(checkHeaders().size())).append('\n');
            check.forEach(row -> sb.append("| ").append(String.join(" | ", row)).append(" |\n"));
            sb.append('\n').append(CHECK_NOTE).append('\n');
        }
        for (int w : grid.workers()) {
            for (double b : grid.gbitPerSecond()) {
                sb.append("\n### ").append(title(w, b)).append("\n\n");
                sb.append("| ").append(String.join(" | ", headers())).append(" |\n");
                sb.append("|").append(" --- |".repeat(headers().size())).append('\n');
                for (List<String> row : rows(w, b)) {
                    sb.append("| ").append(String.join(" | ", row)).append(" |\n");
                }
            }
        }
        return sb.toString();
    }

    public static String title(int workers, double gbit) {
        return workers + " workers, " + trim(gbit) + " Gbit/s";
    }

    static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.1f" : "%.2f", v);
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return 0;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
