package io.lamina.app.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One training step of a finished run, typed: a line of {@code metrics.jsonl} with the bytes
 * sent so far, ready to become a table row (a notebook's DataFrame, a chart of accuracy against
 * bytes). {@link TrainingResult#history()} gives every step, {@link TrainingResult#evaluations()}
 * the steps after which the test set was evaluated.
 *
 * @param step               the step's index, from 0 (as in {@code metrics.jsonl}); {@link #stepsDone()} counts from 1
 * @param epoch              the epoch it belongs to, from 0
 * @param loss               mean training loss of the step's minibatches
 * @param uplinkBytes        bytes the workers sent in this step (all workers)
 * @param downlinkBytes      bytes of the aggregate sent back in this step, times the workers
 * @param uplinkBytesSoFar   uplink bytes of steps 0..step
 * @param downlinkBytesSoFar downlink bytes of steps 0..step
 * @param wallMs             wall time of the step
 * @param testAccuracy       test accuracy in [0, 1] after this step, NaN if the step was not evaluated
 * @param testLoss           test loss after this step, NaN if the step was not evaluated
 */
public record StepRow(long step, int epoch, double loss, long uplinkBytes, long downlinkBytes, long uplinkBytesSoFar,
        long downlinkBytesSoFar, double wallMs, double testAccuracy, double testLoss) {

    /** Steps done once this one is: {@code step + 1} (the last row's equals {@link TrainingResult#steps()}). */
    public long stepsDone() {
        return step + 1;
    }

    /** Whether the test set was evaluated after this step. */
    public boolean evaluated() {
        return !Double.isNaN(testAccuracy);
    }

    /**
     * Rows from {@code metrics.jsonl}'s parsed lines, in file order, with running byte totals.
     *
     * @throws IllegalStateException naming the line and key when a line lacks a number it must have
     */
    static List<StepRow> of(List<Map<String, Object>> metrics) {
        List<StepRow> rows = new ArrayList<>(metrics.size());
        long up = 0;
        long down = 0;
        for (int i = 0; i < metrics.size(); i++) {
            Map<String, Object> m = metrics.get(i);
            long stepUp = number(m, "uplink_bytes", i).longValue();
            long stepDown = number(m, "downlink_bytes", i).longValue();
            up += stepUp;
            down += stepDown;
            boolean evaluated = m.get("test_accuracy") != null;
            rows.add(new StepRow(number(m, "step", i).longValue(), number(m, "epoch", i).intValue(),
                    number(m, "loss", i).doubleValue(), stepUp, stepDown, up, down, number(m, "wall_ms", i).doubleValue(),
                    evaluated ? number(m, "test_accuracy", i).doubleValue() : Double.NaN,
                    evaluated ? number(m, "test_loss", i).doubleValue() : Double.NaN));
        }
        return rows;
    }

    private static Number number(Map<String, Object> line, String key, int index) {
        if (!(line.get(key) instanceof Number n)) {
            throw new IllegalStateException("metrics.jsonl line " + (index + 1) + " has no number '" + key
                    + "' (got " + line.get(key) + ")");
        }
        return n;
    }
}
