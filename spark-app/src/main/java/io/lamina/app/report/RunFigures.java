package io.lamina.app.report;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The figures of one run that the table shows, from its summary and steps. Null means unknown
 * (no evaluation reached the target, no theory fields recorded, ...).
 *
 * @param finalAccuracy   test accuracy after the last step (fraction)
 * @param bestAccuracy    best test accuracy over the evaluation steps
 * @param stepsToTarget   steps completed when an evaluation first reached the target accuracy
 * @param secondsToTarget training wall time (sum of the steps' {@code wall_ms}, evaluations excluded) until then
 * @param collapsedInStep the step (counting from 1) in which the run collapsed ({@link #collapse}), or null
 */
public record RunFigures(Double finalAccuracy, Double bestAccuracy, Long stepsToTarget, Double secondsToTarget,
        double uplinkPerStep, double uplinkTotal, double downlinkPerStep, double downlinkTotal,
        Double samplesPerSecond, Double relativeError, Double omega, Double omegaLayerwiseSum,
        Double omegaEntireModelBound, Long collapsedInStep) {

    /** A collapse: the loss rises above this many times its first step's ... */
    static final double COLLAPSE_JUMP = 3;
    /** ... and the last steps' mean loss stays at or above this fraction of the first step's. */
    static final double NO_RECOVERY = 0.95;
    private static final int LAST_STEPS = 20;

    public static RunFigures of(RunData run, Double target) {
        List<RunData.Step> steps = run.steps();
        Double best = null;
        Double last = null;
        Long stepsToTarget = null;
        Double secondsToTarget = null;
        double wallMs = 0;
        long up = 0;
        long down = 0;
        for (RunData.Step s : steps) {
            wallMs += s.wallMs();
            up += s.uplinkBytes();
            down += s.downlinkBytes();
            Double acc = s.testAccuracy();
            if (acc != null) {
                last = acc;
                best = best == null ? acc : Math.max(best, acc);
                if (target != null && stepsToTarget == null && acc >= target) {
                    stepsToTarget = s.step() + 1;
                    secondsToTarget = wallMs / 1000;
                }
            }
        }
        Double fin = run.summaryNumber("test_accuracy");
        fin = fin != null ? fin : last;
        if (fin != null) {
            best = best == null ? fin : Math.max(best, fin);
        }
        Double upTotal = run.summaryNumber("uplink_bytes");
        Double downTotal = run.summaryNumber("downlink_bytes");
        int n = steps.size();
        return new RunFigures(fin, best, stepsToTarget, secondsToTarget, (double) up / n,
                upTotal != null ? upTotal : up, (double) down / n, downTotal != null ? downTotal : down,
                run.summaryNumber("samples_per_second"), mean(steps, RunData.Step::relativeError),
                mean(steps, RunData.Step::omega), mean(steps, RunData.Step::omegaLayerwiseSum),
                mean(steps, RunData.Step::omegaEntireModelBound), collapse(steps));
    }

    /**
     * The step (from 1) in which the training loss first rose above {@value #COLLAPSE_JUMP} times the
     * first step's, if the mean loss of the last {@value #LAST_STEPS} steps (of a short run, its last
     * quarter) is still at least
     * {@value #NO_RECOVERY} of the first step's: a network that stopped learning (e.g. its ReLUs
     * died after one huge update) without a NaN, which Lamina stops on, so the run completed.
     * Null when the run did not collapse.
     */
    static Long collapse(List<RunData.Step> steps) {
        double[] finite = steps.stream().mapToDouble(RunData.Step::loss).filter(Double::isFinite).toArray();
        if (finite.length < 2 || !(finite[0] > 0)) {
            return null;
        }
        double first = finite[0];
        int window = Math.max(1, Math.min(LAST_STEPS, finite.length / 4)); // a short run: its last quarter
        double last = java.util.Arrays.stream(finite, finite.length - window, finite.length).average().orElseThrow();
        if (last < NO_RECOVERY * first) {
            return null;
        }
        for (RunData.Step s : steps) {
            if (Double.isFinite(s.loss()) && s.loss() > COLLAPSE_JUMP * first) {
                return s.step() + 1;
            }
        }
        return null;
    }

    /** Mean of a figure over the steps that carry it; null if none does. */
    static Double mean(List<RunData.Step> steps, Function<RunData.Step, Double> figure) {
        double[] values = steps.stream().map(figure).filter(Objects::nonNull).mapToDouble(Double::doubleValue)
                .toArray();
        return values.length == 0 ? null : java.util.Arrays.stream(values).average().orElseThrow();
    }
}
