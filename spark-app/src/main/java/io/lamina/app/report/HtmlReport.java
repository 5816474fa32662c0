package io.lamina.app.report;

import java.util.Base64;
import java.util.List;

/**
 * {@code report.html}: one self-contained page (the plots inlined as base64 PNG data URIs, no
 * outside resource) with the header, the table, its notes, every plot and the projections.
 */
final class HtmlReport {

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"DejaVu Sans",sans-serif;margin:24px auto;max-width:1600px;
            padding:0 16px;color:#222;line-height:1.45}
            h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #ddd}
            table{border-collapse:collapse;font-size:12.5px;margin:.6em 0} th,td{border:1px solid #ccc;padding:3px 6px}
            td:first-child{min-width:16em}
            th{background:#f3f3f3;position:sticky;top:0} td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            tr:nth-child(even) td{background:#fafafa} .scroll{overflow-x:auto}
            figure{margin:1.2em 0} figure img{max-width:100%;border:1px solid #eee} figcaption{color:#555;font-size:14px}
            .note{color:#444;font-size:14px;max-width:1100px} code{background:#f4f4f4;padding:0 3px}
            """;

    private HtmlReport() {
    }

    static String render(String header, ReportTable table, List<String> notes, SeedSummary seeds,
            List<String> skipped, List<ReportCharts.Plot> plots, Projections projections) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Lamina report</title><style>").append(STYLE).append("</style></head><body>\n");
        h.append("<h1>Lamina report</h1>\n<p>").append(inline(header)).append("</p>\n");
        h.append("<h2>Runs</h2>\n").append(table(table.headers(), table.cells()));
        for (String n : notes) {
            h.append("<p class=\"note\">").append(inline(n)).append("</p>\n");
        }
        if (!skipped.isEmpty()) {
            h.append("<p class=\"note\"><b>Skipped:</b></p><ul class=\"note\">");
            skipped.forEach(s -> h.append("<li>").append(esc(s)).append("</li>"));
            h.append("</ul>\n");
        }
        if (!seeds.isEmpty()) {
            h.append("<h2>Layer-wise vs entire model across seeds</h2>\n")
                    .append(table(SeedSummary.headers(), seeds.cells()))
                    .append("<p class=\"note\">").append(inline(SeedSummary.NOTE)).append("</p>\n");
        }
        h.append("<h2>Plots</h2>\n");
        for (ReportCharts.Plot p : plots) {
            h.append("<figure id=\"").append(esc(p.file())).append("\"><img alt=\"").append(esc(p.title()))
                    .append("\" width=\"").append(p.width()).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(p.png())).append("\"><figcaption>")
                    .append(esc(p.caption())).append("</figcaption></figure>\n");
        }
        if (projections != null) {
            h.append("<h2>Projected step time (communication cost model)</h2>\n<div class=\"note\">");
            for (String line : projections.assumptions().split("\n")) {
                h.append(line.startsWith("* ") ? "<li>" + inline(line.substring(2)) + "</li>" : "<p>" + inline(line) + "</p><ul>");
            }
            h.append("</ul></div>\n<p class=\"note\">Measured inputs:</p>\n");
            h.append(markdownTable(projections.profileTable()));
            List<List<String>> check = projections.checkRows();
            if (!check.isEmpty()) {
                h.append("<h3>Checked against runs measured at more workers</h3>\n")
                        .append(table(Projections.checkHeaders(), check))
                        .append("<p class=\"note\">").append(inline(Projections.CHECK_NOTE)).append("</p>\n");
            }
            for (int w : projections.grid().workers()) {
                for (double b : projections.grid().gbitPerSecond()) {
                    h.append("<h3>").append(esc(Projections.title(w, b))).append("</h3>\n")
                            .append(table(Projections.headers(), projections.rows(w, b)));
                }
            }
        }
        return h.append("</body></html>\n").toString();
    }

    private static String table(List<String> headers, List<List<String>> rows) {
        StringBuilder t = new StringBuilder("<div class=\"scroll\"><table><thead><tr>");
        headers.forEach(x -> t.append("<th>").append(esc(x)).append("</th>"));
        t.append("</tr></thead><tbody>\n");
        for (List<String> row : rows) {
            t.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                boolean numeric = i > 0 && cell.matches("[-+0-9.,]+( ?[a-zA-Z%]+)?|[-0-9.]+x");
                t.append(numeric ? "<td class=\"n\">" : "<td>").append(esc(cell)).append("</td>");
            }
            t.append("</tr>\n");
        }
        return t.append("</tbody></table></div>\n").toString();
    }

    /** A Markdown table (as the report writes them) as rows. */
    private static String markdownTable(String md) {
        List<List<String>> rows = md.lines().filter(l -> l.startsWith("|") && !l.startsWith("| ---"))
                .map(l -> List.of(l.substring(2, l.length() - 2).split(" \\| "))).toList();
        return table(rows.get(0), rows.subList(1, rows.size()));
    }

    /** Escapes, then shows `code` spans as code. */
    static String inline(String s) {
        return esc(s).replaceAll("`([^`]*)`", "<code>$1</code>");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
