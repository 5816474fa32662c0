package io.lamina.app.engine.driver;

import io.lamina.app.engine.protocol.Aggregate;
import io.lamina.app.engine.protocol.EvalResult;
import io.lamina.app.engine.protocol.StepPlan;
import io.lamina.app.engine.protocol.Telemetry;
import io.lamina.compression.Layout;
import java.util.ArrayList;
import java.util.List;

/** Turns a step's merged telemetry and the driver's timings into its {@link StepRecord}. */
final class StepMetrics {

    private StepMetrics() {
    }

    /** The telemetry of every round of a step, merged (bytes and encode times add up over rounds). */
    static Telemetry ofStep(Aggregate[] rounds) {
        Telemetry t = rounds[0].telemetry();
        for (int r = 1; r < rounds.length; r++) {
            t = t.merge(rounds[r].telemetry());
        }
        return t;
    }

    /**
     * @param wallNanos     the whole step, from its first job to the downlink published
     * @param driverNanos   the driver's part after the last job: decode, NaN check, downlink
     */
    static StepRecord record(long step, StepPlan plan, StepExchange.Result ex, long wallNanos, long driverNanos,
            long downlinkBytes, EvalResult eval) {
        Aggregate first = ex.rounds()[0];
        Telemetry t = ofStep(ex.rounds());
        int w = Math.max(1, first.workers() - first.snapshotRequests());
        return new StepRecord(step, plan.epochOf(step), wallNanos / 1e6, t.maxComputeNanos() / 1e6,
                t.sumComputeNanos() / 1e6 / w, t.sumEncodeNanos() / 1e6 / w, t.sumApplyNanos() / 1e6 / w,
                driverNanos / 1e6, first.meanLoss(), t.uplinkBytes(), downlinkBytes, t.rebuilt(), ex.reruns(),
                t.examples(), eval == null ? null : eval.accuracy(), eval == null ? null : eval.loss(),
                segmentStats(plan.segments(), t, first.workers()), Math.sqrt(t.residualNormSq()), t.error());
    }

    /** Per-segment uplink bytes and density (non-zeros of what was sent over elements). */
    private static List<StepRecord.SegmentStat> segmentStats(Layout layout, Telemetry t, int workers) {
        List<StepRecord.SegmentStat> stats = new ArrayList<>();
        int w = Math.max(1, workers);
        for (int j = 0; j < layout.size(); j++) {
            long bytes = t.segmentBytes() == null ? 0 : t.segmentBytes()[j];
            double density = t.segmentNonZeros() == null ? Double.NaN
                    : (double) t.segmentNonZeros()[j] / ((long) layout.get(j).length() * w);
            stats.add(new StepRecord.SegmentStat(layout.get(j).name(), layout.get(j).length(), bytes, density));
        }
        return stats;
    }
}
