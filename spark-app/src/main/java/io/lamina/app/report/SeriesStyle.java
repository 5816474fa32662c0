package io.lamina.app.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Stroke;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a run looks in every plot: the colour says the method (compressor + memory), the line
 * pattern the granularity (solid layer-wise, dashed entire model, dotted buckets), so a reader
 * decodes a line without the legend once they know one of each.
 */
final class SeriesStyle {

    /** Tableau's ten colours: distinct for most kinds of colour blindness and in greyscale prints. */
    private static final Color[] PALETTE = {new Color(0x4E79A7), new Color(0xE15759), new Color(0x59A14F),
        new Color(0xF28E2B), new Color(0xB07AA1), new Color(0x76B7B2), new Color(0xEDC948), new Color(0x9C755F),
        new Color(0xFF9DA7), new Color(0xBAB0AC)};

    private final Map<String, Color> byMethod = new LinkedHashMap<>();
    private final Map<RunData, Color> byRun = new HashMap<>();

    /**
     * Runs of one method and granularity that differ otherwise (seeds, workers) get shades of the
     * method's colour: darker, then lighter, in run order.
     */
    SeriesStyle(Comparison c) {
        Map<String, Integer> seen = new HashMap<>();
        for (RunData r : c.runs()) {
            Color base = byMethod.computeIfAbsent(Comparison.method(r), k -> PALETTE[byMethod.size() % PALETTE.length]);
            int k = seen.merge(Comparison.method(r) + "|" + r.granularity(), 1, Integer::sum) - 1;
            byRun.put(r, shade(base, k));
        }
    }

    Color colour(RunData r) {
        return byRun.get(r);
    }

    /** Shade k of a colour: 0 itself, then alternately darker and lighter, further each time. */
    static Color shade(Color c, int k) {
        if (k == 0) {
            return c;
        }
        double f = Math.min(0.75, 0.25 * ((k + 1) / 2));
        boolean darker = k % 2 == 1;
        return new Color(mix(c.getRed(), f, darker), mix(c.getGreen(), f, darker), mix(c.getBlue(), f, darker));
    }

    private static int mix(int channel, double f, boolean darker) {
        return (int) Math.round(darker ? channel * (1 - f) : channel + (255 - channel) * f);
    }

    static Stroke stroke(RunData r) {
        return switch (r.granularity()) {
            case "layer" -> new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
            case "model" -> new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {10f, 6f}, 0f);
            default -> new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {1f, 5f}, 0f);
        };
    }

    /** The line-pattern key for a subtitle, naming only the granularities present. */
    static String patternKey(Comparison c) {
        StringBuilder sb = new StringBuilder("colour = method; ");
        boolean layer = c.runs().stream().anyMatch(r -> r.granularity().equals("layer"));
        boolean model = c.runs().stream().anyMatch(r -> r.granularity().equals("model"));
        boolean other = c.runs().stream().anyMatch(r -> !r.granularity().equals("layer") && !r.granularity().equals("model"));
        String sep = "";
        if (layer) {
            sb.append("solid = layer-wise");
            sep = ", ";
        }
        if (model) {
            sb.append(sep).append("dashed = entire model");
            sep = ", ";
        }
        if (other) {
            sb.append(sep).append("dotted = buckets");
        }
        return sb.toString();
    }
}
