package io.lamina.app.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The layer-wise vs entire-model question over several seeds. Runs that differ only in
 * granularity and seed form a group; each seed that has both a layer-wise and an entire-model
 * run gives one difference d_s = acc_layer(s) - acc_model(s) of final test accuracies. A group
 * seen at two or more seeds becomes a row with the mean accuracy of each side, the mean of d_s
 * and its sample standard deviation sqrt(sum (d_s - mean)^2 / (n - 1)), in percentage points.
 * One seed's difference is within the noise of another seed's when the standard deviation is
 * as large as the mean, which a single-seed table cannot show.
 */
public final class SeedSummary {

    /**
     * One group.
     *
     * @param label     what the runs share (method and the settings that vary in the report)
     * @param seeds     the seeds with both granularities, ascending
     * @param layerMean mean final accuracy of the layer-wise runs (fraction)
     * @param modelMean mean final accuracy of the entire-model runs (fraction)
     * @param diffs     d_s per seed in percentage points, in the order of {@code seeds}
     */
    public record Row(String label, List<Long> seeds, double layerMean, double modelMean, List<Double> diffs) {

        /** Mean of d_s, percentage points. */
        public double meanDiff() {
            return diffs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        }

        /** Sample standard deviation of d_s, percentage points. */
        public double sdDiff() {
            double m = meanDiff();
            double ss = diffs.stream().mapToDouble(d -> (d - m) * (d - m)).sum();
            return Math.sqrt(ss / (diffs.size() - 1));
        }
    }

    private final List<Row> rows = new ArrayList<>();

    public SeedSummary(Comparison c) {
        Map<Map<String, Object>, Map<Long, RunData[]>> groups = new LinkedHashMap<>();
        Map<Map<String, Object>, RunData> first = new LinkedHashMap<>();
        for (RunData r : c.runs()) {
            int side = switch (r.granularity()) {
                case "layer" -> 0;
                case "model" -> 1;
                default -> -1;
            };
            Double acc = c.figures(r).finalAccuracy();
            if (side < 0 || r.isUncompressed() || acc == null || !(r.config().get("seed") instanceof Number seed)) {
                continue;
            }
            Map<String, Object> key = Comparison.settingsWithout(r, "granularity", "seed");
            first.putIfAbsent(key, r);
            RunData[] pair = groups.computeIfAbsent(key, k -> new TreeMap<>())
                    .computeIfAbsent(seed.longValue(), k -> new RunData[2]);
            if (pair[side] == null) { // a repeated run of one seed and side is not another seed
                pair[side] = r;
            }
        }
        groups.forEach((key, bySeed) -> {
            List<Long> seeds = new ArrayList<>();
            List<Double> diffs = new ArrayList<>();
            double layer = 0;
            double model = 0;
            for (Map.Entry<Long, RunData[]> e : bySeed.entrySet()) {
                RunData[] pair = e.getValue();
                if (pair[0] == null || pair[1] == null) {
                    continue;
                }
                double la = c.figures(pair[0]).finalAccuracy();
                double ma = c.figures(pair[1]).finalAccuracy();
                seeds.add(e.getKey());
                diffs.add(100 * (la - ma));
                layer += la;
                model += ma;
            }
            if (seeds.size() >= 2) {
                rows.add(new Row(c.labelWithout(first.get(key), "granularity", "seed"), List.copyOf(seeds),
                        layer / seeds.size(), model / seeds.size(), List.copyOf(diffs)));
            }
        });
    }

    public List<Row> rows() {
        return rows;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public static List<String> headers() {
        return List.of("method", "seeds", "layer-wise acc % (mean)", "entire model acc % (mean)",
                "layer - model, pp (mean)", "sd, pp", "per seed, pp");
    }

    public List<List<String>> cells() {
        return rows.stream().map(r -> List.of(r.label(),
                String.join(", ", r.seeds().stream().map(String::valueOf).toList()),
                String.format(Locale.ROOT, "%.2f", 100 * r.layerMean()),
                String.format(Locale.ROOT, "%.2f", 100 * r.modelMean()),
                String.format(Locale.ROOT, "%+.2f", r.meanDiff()),
                String.format(Locale.ROOT, "%.2f", r.sdDiff()),
                String.join(" / ", r.diffs().stream().map(d -> String.format(Locale.ROOT, "%+.2f", d)).toList())))
                .toList();
    }

    /** The section of report.md: a heading, the table and what it means. */
    public String markdown() {
        StringBuilder sb = new StringBuilder("## Layer-wise vs entire model across seeds\n\n");
        sb.append("| ").append(String.join(" | ", headers())).append(" |\n");
        sb.append("|").append(" --- |".repeat(headers().size())).append('\n');
        for (List<String> row : cells()) {
            sb.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return sb.append('\n').append(NOTE).append("\n\n").toString();
    }

    static final String NOTE = "Runs that differ only in granularity and seed, seen at two or more seeds: final test "
            + "accuracy means, and the layer-wise minus entire-model difference per seed (percentage points), its mean "
            + "and sample standard deviation. A mean difference smaller than its standard deviation is within the "
            + "seed-to-seed noise.";
}
