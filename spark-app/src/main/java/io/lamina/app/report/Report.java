package io.lamina.app.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Writes a report over run and experiment folders into one output folder: {@code report.md},
 * {@code report.csv}, one PNG per plot and {@code report.html} (self-contained).
 */
public final class Report {

    /**
     * What was written.
     *
     * @param runs    the runs in the report
     * @param skipped a reason per folder that could not be read
     * @param files   every file written
     */
    public record Written(int runs, List<String> skipped, List<Path> files) {
    }

    private Report() {
    }

    /**
     * @param target the target accuracy (fraction), or null for 95% of the best {@code none} run's
     * @param grid   what to project with the cost model, or null for no projection
     * @throws IllegalArgumentException when no folder holds a readable run (the message lists why)
     */
    public static Written write(List<Path> folders, Path out, Double target, Projections.Grid grid)
            throws IOException {
        if (target != null && !(target > 0 && target <= 1)) {
            throw new IllegalArgumentException("--target-accuracy must be a fraction in (0, 1], e.g. 0.8, got " + target);
        }
        RunReader.Loaded loaded = RunReader.read(folders);
        if (loaded.runs().isEmpty()) {
            throw new IllegalArgumentException("no readable run in " + folders + (loaded.skipped().isEmpty() ? ""
                    : ":\n  " + String.join("\n  ", loaded.skipped())));
        }
        Comparison c = new Comparison(loaded.runs(), target);
        ReportTable table = new ReportTable(c);
        List<ReportCharts.Plot> plots = new ReportCharts(c).render();
        Projections projections = grid == null ? null : new Projections(c, grid);
        String header = header(c, folders);
        List<String> notes = notes(c, table);
        SeedSummary seeds = new SeedSummary(c);

        Files.createDirectories(out);
        List<Path> files = new ArrayList<>();
        for (ReportCharts.Plot p : plots) {
            files.add(Files.write(out.resolve(p.file()), p.png()));
        }
        files.add(Files.writeString(out.resolve("report.csv"), table.csv(), StandardCharsets.UTF_8));
        files.add(Files.writeString(out.resolve("report.md"),
                markdown(header, table, notes, seeds, loaded.skipped(), plots, projections), StandardCharsets.UTF_8));
        files.add(Files.writeString(out.resolve("report.html"),
                HtmlReport.render(header, table, notes, seeds, loaded.skipped(), plots, projections), StandardCharsets.UTF_8));
        return new Written(loaded.runs().size(), loaded.skipped(), files);
    }

    /** One paragraph: what was compared. */
    static String header(Comparison c, List<Path> folders) {
        List<RunData> runs = c.runs();
        String methods = distinct(runs, r -> "`" + Comparison.method(r) + "`");
        String granularities = distinct(runs, r -> Comparison.granularityName(r.granularity()));
        String models = distinct(runs, r -> r.setting("model"));
        String workers = distinct(runs, r -> String.valueOf(r.workers()));
        String batches = distinct(runs, r -> String.valueOf(r.batchPerWorker()));
        // Finished runs' lengths; a run that stopped early is said in its status column.
        String steps = distinct(runs.stream().filter(r -> "completed".equals(r.summary().get("status"))).toList(),
                r -> String.valueOf(r.steps().size()));
        return String.format(Locale.ROOT, "%d runs from %s: methods %s; granularity %s; model %s, %s workers x %s "
                + "examples per step, %s steps.", runs.size(),
                folders.stream().map(p -> "`" + p + "`").collect(Collectors.joining(", ")), methods, granularities,
                models, workers, batches, steps);
    }

    private static String distinct(List<RunData> runs, java.util.function.Function<RunData, String> f) {
        return runs.stream().map(f).filter(Objects::nonNull).distinct().collect(Collectors.joining(", "));
    }

    static List<String> notes(Comparison c, ReportTable table) {
        List<String> notes = new ArrayList<>();
        notes.add(c.target() != null
                ? c.targetsPerReference() ? "Target accuracy: " + c.target().how() + "."
                : String.format(Locale.ROOT, "Target accuracy %.2f%%: %s.", 100 * c.target().accuracy(), c.target().how())
                : "No target accuracy: " + c.targetNote() + ".");
        notes.add(table.legend());
        return notes;
    }

    private static String markdown(String header, ReportTable table, List<String> notes, SeedSummary seeds,
            List<String> skipped, List<ReportCharts.Plot> plots, Projections projections) {
        StringBuilder md = new StringBuilder("# Lamina report\n\n").append(header).append("\n\n");
        md.append(table.markdown()).append('\n');
        notes.forEach(n -> md.append(n).append("\n\n"));
        if (!skipped.isEmpty()) {
            md.append("Skipped:\n\n");
            skipped.forEach(s -> md.append("* ").append(s).append('\n'));
            md.append('\n');
        }
        if (!seeds.isEmpty()) {
            md.append(seeds.markdown());
        }
        md.append("## Plots\n\n");
        for (ReportCharts.Plot p : plots) {
            md.append("![").append(p.title()).append("](").append(p.file()).append(")\n\n")
                    .append(p.caption()).append("\n\n");
        }
        if (projections != null) {
            md.append(projections.markdown());
        }
        return md.toString();
    }
}
