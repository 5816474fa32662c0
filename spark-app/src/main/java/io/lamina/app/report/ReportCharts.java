package io.lamina.app.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.general.DatasetUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's plots as PNG images (JFreeChart, rendered off-screen: the JVM runs headless).
 * Lines: one per run, coloured by method and patterned by granularity ({@link SeriesStyle}),
 * the legend under the plot. Bars: one group per segment, one bar per run. A plot whose data no
 * run has (the theory fields of older runs) is left out.
 */
public final class ReportCharts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** One rendered plot: its file name, title, a sentence on how to read it, the PNG bytes and their width in pixels. */
    public record Plot(String file, String title, String caption, byte[] png, int width) {
    }

    /** A plot before rendering. */
    record Figure(String file, String title, String caption, JFreeChart chart) {
    }

    static final int WIDTH = 1000;
    static final int HEIGHT = 560;
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font PANEL_TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private final Comparison c;
    private final SeriesStyle style;
    /** Drawn as one panel of {@link SmallMultiples}: smaller title, no line-pattern key of its own. */
    private final boolean panel;

    public ReportCharts(Comparison c) {
        this(c, false);
    }

    ReportCharts(Comparison c, boolean panel) {
        this.c = c;
        this.style = new SeriesStyle(c);
        this.panel = panel;
    }

    /**
     * Every plot as a PNG: one chart over all runs, or, when there are too many runs for one chart
     * to be read, small multiples with a panel per method ({@link SmallMultiples}).
     */
    public List<Plot> render() {
        Map<String, List<RunData>> panels = SmallMultiples.panels(c);
        if (panels != null) {
            return SmallMultiples.render(c, panels);
        }
        return figures().stream().map(f -> png(f, WIDTH, HEIGHT)).toList();
    }

    /** Every plot that some run has data for, as charts. */
    List<Figure> figures() {
        List<Figure> plots = new ArrayList<>();
        add(plots, accuracy("accuracy_vs_steps.png", "Test accuracy vs training steps", "steps",
                (r, s) -> s.step() + 1.0, false,
                "Test accuracy at each evaluation against the steps completed."));
        add(plots, loss());
        add(plots, accuracy("accuracy_vs_time.png", "Test accuracy vs training wall time", "training wall time (s)",
                cumulative(s -> s.wallMs() / 1000), false,
                "Test accuracy against the time spent in training steps so far (evaluations excluded)."));
        add(plots, accuracy("accuracy_vs_bytes.png", "Test accuracy vs bytes sent", "uplink sent by all workers (MB)",
                cumulative(s -> s.uplinkBytes() / 1e6), true,
                "Test accuracy against the bytes all workers have sent so far (1 MB = 10^6 bytes)."));
        add(plots, segmentBars("bytes_per_segment.png", "Uplink bytes per worker per step, by segment",
                "bytes per worker per step", g -> (double) g.uplinkBytes(), true, true,
                "Mean over the steps of each segment's message from one worker (all workers' bytes / workers). "
                        + "Log scale."));
        add(plots, stepLines("relative_error_vs_steps.png", "Relative compression error vs training steps",
                "||g - C(g)||^2 / ||g||^2", RunData.Step::relativeError,
                "Relative error of the whole model's compressed gradient on the sampled steps."));
        add(plots, segmentBars("relative_error_per_segment.png", "Relative compression error per segment",
                "||g - C(e)||^2 / ||g||^2 (mean over sampled steps)", RunData.Segment::relativeError, false, false,
                "Mean over the sampled steps of each segment's relative compression error."));
        add(plots, segmentBars("omega_per_segment.png", "Omega per segment", "Omega = ||e - C(e)||^2 / ||e||^2 (mean)",
                RunData.Segment::omega, false, false,
                "Mean over the sampled steps of each segment's empirical Omega (0 = nothing lost)."));
        return plots;
    }

    private static void add(List<Figure> plots, Figure p) {
        if (p != null) {
            plots.add(p);
        }
    }

    /** x of a step: a running sum of one of its figures. */
    private static java.util.function.BiFunction<RunData, RunData.Step, Double> cumulative(
            ToDoubleFunction<RunData.Step> f) {
        return new java.util.function.BiFunction<>() {
            private final Map<RunData, double[]> sums = new java.util.IdentityHashMap<>();

            @Override
            public Double apply(RunData r, RunData.Step s) {
                double[] sum = sums.computeIfAbsent(r, k -> new double[1]);
                sum[0] += f.applyAsDouble(s);
                return sum[0];
            }
        };
    }

    private Figure accuracy(String file, String title, String xLabel,
            java.util.function.BiFunction<RunData, RunData.Step, Double> x, boolean logX, String caption) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (RunData r : c.runs()) {
            XYSeries s = new XYSeries(name(r), false, true);
            for (RunData.Step st : r.steps()) {
                double xv = x.apply(r, st); // every step, so running sums see them all
                if (st.testAccuracy() != null) {
                    s.add(xv, 100 * st.testAccuracy());
                }
            }
            data.addSeries(s);
        }
        if (data.getSeries().stream().allMatch(s -> ((XYSeries) s).isEmpty())) {
            return null;
        }
        return figure(file, title, caption, lines(title, xLabel, "test accuracy (%)", data, true, logX));
    }

    private Figure loss() {
        int longest = c.runs().stream().mapToInt(r -> r.steps().size()).max().orElse(1);
        int window = Math.max(1, Math.round(longest / 25f));
        XYSeriesCollection data = new XYSeriesCollection();
        for (RunData r : c.runs()) {
            XYSeries s = new XYSeries(name(r), false, true);
            List<RunData.Step> steps = r.steps();
            for (int i = 0; i < steps.size(); i++) {
                double sum = 0; // the trailing window's finite losses: a diverged step does not blank the rest
                int n = 0;
                for (int k = Math.max(0, i - window + 1); k <= i; k++) {
                    if (Double.isFinite(steps.get(k).loss())) {
                        sum += steps.get(k).loss();
                        n++;
                    }
                }
                if (n > 0) {
                    s.add(steps.get(i).step() + 1.0, sum / n);
                }
            }
            data.addSeries(s);
        }
        String average = window == 1 ? "" : "mean of the last " + window + " steps";
        JFreeChart chart = lines("Training loss vs training steps", "steps",
                "training loss" + (average.isEmpty() ? "" : " (" + average + ")"), data, false, false);
        // A diverging run's loss would flatten every other line: the axis stops at 1.5x the
        // highest starting loss, and the caption says so.
        double start = 0;
        for (Object o : data.getSeries()) {
            XYSeries s = (XYSeries) o;
            start = s.isEmpty() ? start : Math.max(start, s.getY(0).doubleValue());
        }
        String cut = "";
        if (start > 0 && data.getRangeUpperBound(false) > 1.5 * start) {
            org.jfree.chart.axis.ValueAxis y = ((org.jfree.chart.plot.XYPlot) chart.getPlot()).getRangeAxis();
            y.setRange(Math.max(0, data.getRangeLowerBound(false) * 0.95), 1.5 * start);
            cut = " The axis stops at 1.5 times the highest starting loss; a line leaving the top diverged.";
        }
        return figure("loss_vs_steps.png", "Training loss vs training steps",
                "Mean training loss of the workers' minibatches" + (average.isEmpty() ? "" : ", " + average) + "." + cut,
                chart);
    }

    private Figure stepLines(String file, String title, String yLabel, Function<RunData.Step, Double> y, String caption) {
        XYSeriesCollection data = new XYSeriesCollection();
        boolean any = false;
        for (RunData r : c.runs()) {
            XYSeries s = new XYSeries(name(r), false, true);
            for (RunData.Step st : r.steps()) {
                Double v = y.apply(st);
                if (v != null && Double.isFinite(v)) {
                    s.add(st.step() + 1.0, v);
                }
            }
            if (!s.isEmpty()) { // runs without the figure are left out of the legend too
                data.addSeries(s);
                any = true;
            }
        }
        return any ? figure(file, title, caption, lines(title, "steps", yLabel, data, true, false)) : null;
    }

    private JFreeChart lines(String title, String xLabel, String yLabel, XYSeriesCollection data, boolean shapes,
            boolean logX) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, shapes);
        renderer.setLegendLine(new Line2D.Double(-18, 0, 18, 0));
        for (int i = 0; i < data.getSeriesCount(); i++) {
            RunData r = runLabelled((String) data.getSeriesKey(i));
            renderer.setSeriesPaint(i, style.colour(r));
            renderer.setSeriesStroke(i, SeriesStyle.stroke(r));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
        plot.setRenderer(renderer);
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setAutoRangeIncludesZero(false);
        if (logX && logScaleHelps(data)) {
            plot.setDomainAxis(logAxis(xLabel + ", log scale", 1e-6, data.getDomainLowerBound(false),
                    data.getDomainUpperBound(false)));
        } else {
            ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(true);
        }
        decorate(chart, true);
        plot.getDomainAxis().setLabelFont(LABEL);
        plot.getDomainAxis().setTickLabelFont(TICK);
        y.setLabelFont(LABEL);
        y.setTickLabelFont(TICK);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        return chart;
    }

    /** Log scale when the x values span more than 30x (e.g. a compressed and an uncompressed run). */
    private static boolean logScaleHelps(XYSeriesCollection data) {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Object o : data.getSeries()) {
            XYSeries s = (XYSeries) o;
            if (!s.isEmpty()) {
                min = Math.min(min, s.getMinX());
                max = Math.max(max, s.getMaxX());
            }
        }
        return min > 0 && max / min > 30;
    }

    private Figure segmentBars(String file, String title, String yLabel, Function<RunData.Segment, Double> value,
            boolean perWorker, boolean log, String caption) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        Set<String> segments = new LinkedHashSet<>();
        List<RunData> shown = new ArrayList<>();
        boolean split = c.runs().stream().anyMatch(r -> !r.granularity().equals("model"));
        boolean leftOut = false;
        List<RunData> modelRuns = new ArrayList<>();
        for (RunData r : c.runs()) {
            if (split && r.granularity().equals("model")) {
                leftOut = true; // its one segment is the whole model: the table has it, and it would leave gaps here
                modelRuns.add(r);
                continue;
            }
            Map<String, double[]> sums = new java.util.LinkedHashMap<>();
            for (RunData.Step st : r.steps()) {
                for (RunData.Segment g : st.segments()) {
                    Double v = value.apply(g);
                    if (v != null && Double.isFinite(v)) {
                        double[] a = sums.computeIfAbsent(g.name(), k -> new double[2]);
                        a[0] += v;
                        a[1]++;
                    }
                }
            }
            if (sums.isEmpty()) {
                continue;
            }
            shown.add(r);
            sums.forEach((name, a) -> {
                segments.add(name);
                data.addValue(a[0] / a[1] / (perWorker ? r.workers() : 1), name(r), name);
            });
        }
        if (shown.isEmpty()) {
            return null;
        }
        JFreeChart chart = ChartFactory.createBarChart(title, "segment (parameter tensor)", yLabel, data,
                PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, style.colour(runLabelled((String) data.getRowKey(i))));
        }
        if (log) {
            plot.setRangeAxis(logAxis(yLabel + ", log scale", 1, 1, data.getRowCount() == 0 ? 10
                    : org.jfree.data.general.DatasetUtils.findMaximumRangeValue(data).doubleValue()));
        }
        if (segments.size() > 8) {
            plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        decorate(chart, false);
        plot.getDomainAxis().setLabelFont(LABEL);
        plot.getDomainAxis().setTickLabelFont(TICK);
        plot.getRangeAxis().setLabelFont(LABEL);
        plot.getRangeAxis().setTickLabelFont(TICK);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        String note = leftOut ? " Entire-model runs (one segment: the whole model) are left out; the table has their "
                + "figures." : "";
        Double whole = panel && modelRuns.size() == 1 && !log ? RunFigures.mean(modelRuns.get(0).steps(),
                st -> st.segments().size() == 1 ? value.apply(st.segments().get(0)) : null) : null;
        if (whole != null) {
            // A panel's one entire-model run: its figure as a line across the bars, the comparison the panel is for.
            ValueMarker m = new ValueMarker(whole, style.colour(modelRuns.get(0)), SeriesStyle.stroke(modelRuns.get(0)));
            m.setLabel(String.format(java.util.Locale.ROOT, "entire model %.3f", whole));
            m.setLabelFont(TICK);
            boolean high = whole > 0.8 * DatasetUtils.findMaximumRangeValue(data).doubleValue(); // label below, not cut off
            m.setLabelAnchor(high ? org.jfree.chart.ui.RectangleAnchor.BOTTOM_RIGHT
                    : org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(high ? org.jfree.chart.ui.TextAnchor.TOP_RIGHT : org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(m);
            note = " The dashed line: the entire-model run's figure (its one segment is the whole model).";
        }
        return figure(file, title, caption + note, chart);
    }

    /**
     * A log axis labelled as plain numbers: a tick at every power of ten over a wide range
     * (1, 10, 100, 1,000), at every power of two over three decades or less (1, 2, 4, 8, 16).
     */
    private static LogAxis logAxis(String label, double smallest, double min, double max) {
        LogAxis axis = new LogAxis(label);
        axis.setSmallestValue(smallest);
        boolean narrow = min > 0 && max / min <= 1000;
        axis.setTickUnit(new NumberTickUnit(narrow ? Math.log10(2) : 1)); // in powers of the base (10)
        axis.setMinorTickMarksVisible(true);
        axis.setMinorTickCount(9);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.######"));
        return axis;
    }

    private void decorate(JFreeChart chart, boolean lines) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(panel ? PANEL_TITLE : TITLE);
        if (!panel) { // a panel's key is drawn once, above all panels
            TextTitle key = new TextTitle(lines ? SeriesStyle.patternKey(c) : "colour = method", SUBTITLE);
            key.setPaint(Color.DARK_GRAY);
            chart.addSubtitle(key);
        }
        if (chart.getLegend() != null) {
            chart.getLegend().setPosition(RectangleEdge.BOTTOM);
            chart.getLegend().setItemFont(panel ? TICK : SUBTITLE);
        }
    }

    /** A run's name in a legend: its label, or in a panel (whose title names the method) the rest of it. */
    private String name(RunData r) {
        if (!panel) {
            return c.label(r);
        }
        if (r.isUncompressed()) {
            return "none (reference)";
        }
        String method = Comparison.method(r) + ", ";
        return c.label(r).startsWith(method) ? c.label(r).substring(method.length()) : c.label(r);
    }

    private RunData runLabelled(String label) {
        return c.runs().stream().filter(r -> Objects.equals(name(r), label)).findFirst().orElseThrow();
    }

    private static Figure figure(String file, String title, String caption, JFreeChart chart) {
        return new Figure(file, title, caption, chart);
    }

    private static Plot png(Figure f, int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, f.chart(), width, height);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render " + f.file(), e);
        }
        return new Plot(f.file(), f.title(), f.caption(), out.toByteArray(), width);
    }
}
