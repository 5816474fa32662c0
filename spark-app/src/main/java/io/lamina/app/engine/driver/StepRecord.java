package io.lamina.app.engine.driver;

import io.lamina.app.engine.protocol.CompressionError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measurements of one step: wall time and its parts, loss, bytes both ways. One JSON line of
 * {@code metrics.jsonl}. Overhead = wall time minus the slowest task's compute: what Spark, the
 * encoding, the replica update and the driver add to the unavoidable compute. On the steps the
 * plan samples ({@code --theory-every}), {@code error} holds what compression lost.
 */
public record StepRecord(long step, int epoch, double wallMs, double computeMaxMs, double computeMeanMs,
        double encodeMeanMs, double applyMeanMs, double driverUpdateMs, double loss, long uplinkBytes,
        long downlinkBytes, int rebuilt, int reruns, long examples, Double testAccuracy, Double testLoss,
        List<SegmentStat> segments, double residualNorm, CompressionError error) {

    /** One compression segment's uplink bytes (all workers) and density of what was sent. */
    public record SegmentStat(String name, int length, long uplinkBytes, double density) {
    }

    public double overheadMs() {
        return wallMs - computeMaxMs;
    }

    /**
     * Wall time not spent in the slowest task's compute nor in the driver's part between jobs
     * ({@code driverUpdateMs}: decoding the aggregate, the NaN check, the downlink broadcast; the
     * master's own update overlaps the next job and is not in it).
     */
    public double otherMs() {
        return wallMs - computeMaxMs - driverUpdateMs;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("epoch", epoch);
        m.put("wall_ms", round(wallMs));
        m.put("compute_max_ms", round(computeMaxMs));
        m.put("compute_mean_ms", round(computeMeanMs));
        m.put("encode_mean_ms", round(encodeMeanMs));
        m.put("apply_mean_ms", round(applyMeanMs));
        m.put("driver_update_ms", round(driverUpdateMs));
        m.put("other_ms", round(otherMs()));
        m.put("overhead_ms", round(overheadMs()));
        m.put("loss", loss);
        m.put("examples", examples);
        m.put("uplink_bytes", uplinkBytes);
        m.put("downlink_bytes", downlinkBytes);
        m.put("residual_norm", residualNorm);
        m.put("rebuilt_replicas", rebuilt);
        m.put("reruns", reruns);
        if (error != null) {
            putFinite(m, "relative_error", error.relativeError(-1));
            putFinite(m, "omega", error.omega(-1));
            putFinite(m, "omega_layerwise_sum", error.layerwiseSum());
            putFinite(m, "omega_entire_model_bound", error.entireModelBound());
        }
        List<Map<String, Object>> segs = new ArrayList<>();
        for (int j = 0; j < segments.size(); j++) {
            SegmentStat s = segments.get(j);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", s.name());
            e.put("elements", s.length());
            e.put("uplink_bytes", s.uplinkBytes());
            if (!Double.isNaN(s.density())) {
                e.put("density", Math.round(s.density() * 1e6) / 1e6);
            }
            if (error != null) {
                putFinite(e, "relative_error", error.relativeError(j));
                putFinite(e, "omega", error.omega(j));
            }
            segs.add(e);
        }
        m.put("segments", segs);
        if (testAccuracy != null) {
            m.put("test_accuracy", testAccuracy);
            m.put("test_loss", testLoss);
        }
        return m;
    }

    /** JSON has no NaN: a ratio over a zero norm is left out. */
    private static void putFinite(Map<String, Object> m, String key, double v) {
        if (Double.isFinite(v)) {
            m.put(key, v);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
