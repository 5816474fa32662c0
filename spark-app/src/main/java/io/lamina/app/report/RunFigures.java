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
 */
public record RunFigures(Double finalAccuracy, Double bestAccuracy, Long stepsToTarget, Double secondsToTarget,
        double uplinkPerStep, double uplinkTotal, double downlinkPerStep, double downlinkTotal,
        Double samplesPerSecond, Double relativeError, Double omega, Double omegaLayerwiseSum,
        Double omegaEntireModelBound) {

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
                mean(steps, RunData.Step::omegaEntireModelBound));
    }

    /** Mean of a figure over the steps that carry it; null if none does. */
    static Double mean(List<RunData.Step> steps, Function<RunData.Step, Double> figure) {
        double[] values = steps.stream().map(figure).filter(Objects::nonNull).mapToDouble(Double::doubleValue)
                .toArray();
        return values.length == 0 ? null : java.util.Arrays.stream(values).average().orElseThrow();
    }
}
