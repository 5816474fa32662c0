package io.lamina.app.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The comparison table, one row per run, as Markdown cells (rounded, with units) and as CSV
 * cells (plain numbers: fractions, bytes, seconds). Columns for figures no run has (the theory
 * fields, a status other than completed) are left out.
 */
public final class ReportTable {

    /** A column: Markdown header, CSV header, the value (a Number, a String or null), how Markdown shows a number. */
    private record Column(String header, String csvHeader, Function<RunData, Object> value,
            Function<Number, String> show) {
    }

    private final Comparison c;
    private final List<Column> columns = new ArrayList<>();

    public ReportTable(Comparison c) {
        this.c = c;
        text("run", "run", c::label);
        text("method", "compressor", RunData::compressor);
        text("memory", "memory", RunData::memory);
        text("granularity", "granularity", RunData::granularity);
        text("optimizer", "optimizer", ReportTable::optimizer);
        number("workers", "workers", RunData::workers, n -> String.valueOf(n.intValue()));
        if (c.runs().stream().anyMatch(r -> !"completed".equals(r.summary().get("status"))
                || collapsed(r) != null)) {
            text("status", "status", this::status);
        }
        number("final acc %", "final_test_accuracy", r -> c.figures(r).finalAccuracy(), ReportTable::percent);
        number("best acc %", "best_test_accuracy", r -> c.figures(r).bestAccuracy(), ReportTable::percent);
        number("steps to target", "steps_to_target", r -> c.figures(r).stepsToTarget(), n -> String.valueOf(n.longValue()));
        number("time to target s", "seconds_to_target", r -> c.figures(r).secondsToTarget(), n -> fixed(n, "%.1f"));
        number("uplink/step", "uplink_bytes_per_step", r -> c.figures(r).uplinkPerStep(), ReportTable::bytes);
        number("uplink total", "uplink_bytes_total", r -> c.figures(r).uplinkTotal(), ReportTable::bytes);
        number("downlink/step", "downlink_bytes_per_step", r -> c.figures(r).downlinkPerStep(), ReportTable::bytes);
        number("downlink total", "downlink_bytes_total", r -> c.figures(r).downlinkTotal(), ReportTable::bytes);
        number("samples/s", "samples_per_second", r -> c.figures(r).samplesPerSecond(), n -> fixed(n, "%.0f"));
        optional("rel. error", "relative_error", r -> c.figures(r).relativeError());
        optional("Omega", "omega", r -> c.figures(r).omega());
        optional("sum_j (1+Omega_j)", "omega_layerwise_sum", r -> c.figures(r).omegaLayerwiseSum());
        optional("L max_j (1+Omega_j)", "omega_entire_model_bound", r -> c.figures(r).omegaEntireModelBound());
        number("layer/model acc", "layer_over_model_accuracy", c::granularityRatio, n -> fixed(n, "%.3f"));
    }

    public List<String> headers() {
        return columns.stream().map(Column::header).toList();
    }

    /** Markdown (and HTML) cells, one list per run in the comparison's order. */
    public List<List<String>> cells() {
        return c.runs().stream().map(r -> columns.stream().map(col -> {
            Object v = col.value().apply(r);
            return v instanceof Number n ? col.show().apply(n) : v == null ? "" : v.toString();
        }).toList()).toList();
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", headers())).append(" |\n");
        sb.append("|").append(" --- |".repeat(columns.size())).append('\n');
        for (List<String> row : cells()) {
            sb.append("| ").append(String.join(" | ", row.stream().map(s -> s.replace("|", "\\|")).toList()))
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** RFC 4180 CSV: a header line, then one line per run; numbers unrounded in base units. */
    public String csv() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", columns.stream().map(Column::csvHeader).toList())).append("\r\n");
        for (RunData r : c.runs()) {
            List<String> row = new ArrayList<>();
            for (Column col : columns) {
                Object v = col.value().apply(r);
                row.add(v == null ? "" : v instanceof Number ? v.toString() : quote(v.toString()));
            }
            sb.append(String.join(",", row)).append("\r\n");
        }
        return sb.toString();
    }

    /** What the columns mean (for the notes under the table); the theory figures only when shown. */
    public String legend() {
        String theory = columns.stream().anyMatch(col -> col.csvHeader().equals("relative_error")
                || col.csvHeader().startsWith("omega")) ? THEORY : "";
        return "Accuracies are test-set accuracies (final: after the last step; best: over the evaluation steps). "
                + "Steps and time to target: the first evaluation at or above the target accuracy; time is the sum of "
                + "the steps' wall time (evaluations excluded). Uplink: the bytes all workers sent (measured); "
                + "downlink: the aggregate's bytes x the workers receiving it; per step = mean over the steps; "
                + "1 kB = 1000 B. Samples/s over the training steps. " + (c.runs().stream()
                .anyMatch(r -> collapsed(r) != null) ? COLLAPSE : "") + theory
                + "layer/model acc: final accuracy of the layer-wise run over that of the entire-model run with "
                + "otherwise identical settings (blank without such a pair).";
    }

    private static final String COLLAPSE = "Collapsed in step s: the training loss rose above "
            + (int) RunFigures.COLLAPSE_JUMP + " times its first step's in step s and the last steps' mean stayed above "
            + Math.round(100 * RunFigures.NO_RECOVERY) + "% of it: the network stopped learning without a NaN (which "
            + "stops a run), so the run completed. ";

    private static final String THEORY = "Rel. error = ||g - C(e)||^2 / ||g||^2 (what was sent against the gradient g) "
            + "and Omega = ||e - C(e)||^2 / ||e||^2 (the compressor's empirical Omega on its input e, g plus the memory's "
            + "residual; equal to the relative error without memory), for the whole model; sum_j (1+Omega_j) over the "
            + "segments and L max_j (1+Omega_j): "
            + "means over the steps that sampled them (blank: the run did not record them). ";

    /** The run's status, and its collapse when it had one (completed, but it stopped learning). */
    private String status(RunData r) {
        Long collapsed = collapsed(r);
        return r.summary().get("status") + (collapsed == null ? "" : ", collapsed in step " + collapsed);
    }

    /** A collapse of a completed run (a diverged one says so already). */
    private Long collapsed(RunData r) {
        return "completed".equals(r.summary().get("status")) ? c.figures(r).collapsedInStep() : null;
    }

    static String optimizer(RunData r) {
        String where = r.setting("optimizer_on_resolved");
        return r.setting("optimizer") + " " + r.setting("learning_rate") + (where.isEmpty() ? "" : " on " + where);
    }

    static String bytes(Number n) {
        double b = n.doubleValue();
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        int u = 0;
        while (Math.abs(b) >= 1000 && u < units.length - 1) {
            b /= 1000;
            u++;
        }
        String digits = u == 0 ? "%.0f" : Math.abs(b) >= 100 ? "%.0f" : Math.abs(b) >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, digits + " %s", b, units[u]);
    }

    private static String percent(Number n) {
        return fixed(100 * n.doubleValue(), "%.2f");
    }

    private static String fixed(Number n, String format) {
        return String.format(Locale.ROOT, format, n.doubleValue());
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private void text(String header, String csv, Function<RunData, Object> value) {
        columns.add(new Column(header, csv, value, Object::toString));
    }

    private void number(String header, String csv, Function<RunData, Object> value, Function<Number, String> show) {
        columns.add(new Column(header, csv, value, show));
    }

    /** A theory column, only when some run recorded it. */
    private void optional(String header, String csv, Function<RunData, Object> value) {
        if (c.runs().stream().anyMatch(r -> value.apply(r) != null)) {
            columns.add(new Column(header, csv, value, n -> fixed(n, Math.abs(n.doubleValue()) < 0.01 ? "%.3g" : "%.4f")));
        }
    }
}
