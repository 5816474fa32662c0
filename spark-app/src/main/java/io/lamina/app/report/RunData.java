package io.lamina.app.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One finished (or stopped) run as read from its folder: the summary, its {@code config}, and
 * every step of {@code metrics.jsonl}.
 *
 * @param dir     the run's folder
 * @param config  the summary's {@code config} (the run's settings)
 * @param summary the whole {@code summary.json}
 * @param steps   the steps in file order
 */
public record RunData(Path dir, Map<String, Object> config, Map<String, Object> summary, List<Step> steps) {

    /**
     * One line of {@code metrics.jsonl}. Optional figures are null when the line lacks them:
     * the test figures outside evaluation steps, the theory figures outside sampled steps (and
     * in runs written before they existed).
     */
    public record Step(long step, double wallMs, double computeMaxMs, double encodeMeanMs, double loss,
            long uplinkBytes, long downlinkBytes, Double testAccuracy, Double testLoss, Double relativeError,
            Double omega, Double omegaLayerwiseSum, Double omegaEntireModelBound, List<Segment> segments) {
    }

    /** One compression segment of a step: uplink bytes are all workers' together. */
    public record Segment(String name, long elements, long uplinkBytes, Double relativeError, Double omega) {
    }

    public String setting(String key) {
        return Objects.toString(config.get(key), "");
    }

    public String compressor() {
        return setting("compressor");
    }

    public String memory() {
        return setting("memory");
    }

    public String granularity() {
        return setting("granularity");
    }

    public int workers() {
        return config.get("workers") instanceof Number n ? n.intValue() : 1;
    }

    public int batchPerWorker() {
        return config.get("batch_per_worker") instanceof Number n ? n.intValue() : 0;
    }

    /** The aggregation tree's depth (Lamina's default, 2, for runs that do not record it). */
    public int treeDepth() {
        return config.get("tree_depth") instanceof Number n ? n.intValue() : 2;
    }

    public boolean isUncompressed() {
        return compressor().equals("none");
    }

    /** A figure of the summary as a number, or null. */
    public Double summaryNumber(String key) {
        return summary.get(key) instanceof Number n ? n.doubleValue() : null;
    }
}
