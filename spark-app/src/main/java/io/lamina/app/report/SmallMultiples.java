package io.lamina.app.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.Range;

/**
 * Plots for a comparison with too many runs for one chart (a study grid has dozens): one panel per
 * method (the runs that differ only in granularity and seed), each with its layer-wise and
 * entire-model lines and, for reference, the {@code none} run of the same settings; every panel
 * on the same axes, so panels compare at a glance. Each panel is the report's ordinary chart of
 * those runs, drawn into its cell of one image.
 */
final class SmallMultiples {

    /** More runs than this on one chart cannot be told apart; the legend alone fills the plot. */
    static final int MAX_RUNS_ON_ONE_CHART = 10;
    private static final int COLUMNS = 4;
    private static final int PANEL_WIDTH = 450;
    private static final int PANEL_HEIGHT = 330;
    private static final int HEADER = 64;
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    private static final Font KEY = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

    private SmallMultiples() {
    }

    /**
     * The panels, each a method's runs followed by its reference, in the comparison's order; null
     * when the runs fit on one chart or would all fall into one panel.
     */
    static Map<String, List<RunData>> panels(Comparison c) {
        if (c.runs().size() <= MAX_RUNS_ON_ONE_CHART) {
            return null;
        }
        Map<String, List<RunData>> panels = new LinkedHashMap<>();
        for (RunData r : c.runs()) {
            if (!r.isUncompressed()) {
                panels.computeIfAbsent(c.labelWithout(r, "granularity", "seed"), k -> new ArrayList<>()).add(r);
            }
        }
        if (panels.size() < 2) {
            return null;
        }
        for (List<RunData> runs : panels.values()) {
            RunData reference = c.reference(runs.get(0));
            if (reference != null) {
                runs.add(reference);
            }
        }
        return panels;
    }

    /** One image per plot, its panels in rows of {@value #COLUMNS}. */
    static List<ReportCharts.Plot> render(Comparison c, Map<String, List<RunData>> panels) {
        Map<String, ReportCharts.Figure> first = new LinkedHashMap<>();
        Map<String, List<JFreeChart>> charts = new LinkedHashMap<>();
        // an explicit target holds for every panel; else each panel's runs have their own reference
        Double target = c.givenTarget();
        panels.forEach((label, runs) -> {
            for (ReportCharts.Figure f : new ReportCharts(new Comparison(runs, target), true).figures()) {
                f.chart().setTitle(label);
                first.putIfAbsent(f.file(), f);
                charts.computeIfAbsent(f.file(), k -> new ArrayList<>()).add(f.chart());
            }
        });
        List<ReportCharts.Plot> plots = new ArrayList<>();
        first.forEach((file, f) -> {
            List<JFreeChart> cells = charts.get(file);
            shareAxes(cells);
            plots.add(draw(f, cells, lineKey(c, file)));
        });
        return plots;
    }

    /** Every panel on the union of the panels' ranges. */
    private static void shareAxes(List<JFreeChart> cells) {
        Range x = null;
        Range y = null;
        for (JFreeChart ch : cells) {
            x = Range.combine(x, domain(ch.getPlot()) == null ? null : domain(ch.getPlot()).getRange());
            y = Range.combine(y, range(ch.getPlot()).getRange());
        }
        for (JFreeChart ch : cells) {
            if (x != null && domain(ch.getPlot()) != null) {
                domain(ch.getPlot()).setRange(x);
            }
            range(ch.getPlot()).setRange(y);
        }
    }

    /** The x axis of a line chart; null for bars (their categories are the segments). */
    private static ValueAxis domain(Plot p) {
        return p instanceof XYPlot xy ? xy.getDomainAxis() : null;
    }

    private static ValueAxis range(Plot p) {
        return p instanceof XYPlot xy ? xy.getRangeAxis() : ((CategoryPlot) p).getRangeAxis();
    }

    private static String lineKey(Comparison c, String file) {
        boolean bars = file.endsWith("_per_segment.png");
        return "One panel per method, all on the same axes; " + (bars ? "colour = method, the `none` run for reference"
                : SeriesStyle.patternKey(c).replace("colour = method; ", "") + ", the `none` run in each for reference");
    }

    private static ReportCharts.Plot draw(ReportCharts.Figure f, List<JFreeChart> cells, String key) {
        int columns = Math.min(COLUMNS, cells.size());
        int rows = (cells.size() + columns - 1) / columns;
        int width = columns * PANEL_WIDTH;
        BufferedImage image = new BufferedImage(width, HEADER + rows * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(TITLE);
            g.drawString(f.title(), 16, 28);
            g.setColor(Color.DARK_GRAY);
            g.setFont(KEY);
            g.drawString(key.replace("`", ""), 16, 52);
            for (int i = 0; i < cells.size(); i++) {
                cells.get(i).draw(g, new Rectangle2D.Double(i % columns * PANEL_WIDTH,
                        HEADER + i / columns * PANEL_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT));
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render " + f.file(), e);
        }
        return new ReportCharts.Plot(f.file(), f.title(), "One panel per method. " + f.caption(), out.toByteArray(),
                width);
    }
}
