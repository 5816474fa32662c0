package io.lamina.compression.lowrank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.compression.Layout;
import io.lamina.compression.method.Memories;
import io.lamina.compression.Memory;
import io.lamina.compression.Message;
import io.lamina.compression.Segment;
import io.lamina.compression.TwoRoundCompressor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The engine's call order of {@link TwoRoundCompressor}, with a residual memory on two workers:
 * what is applied plus what is remembered equals what was fed in, and error feedback makes the
 * running mean of the rank-2 updates converge to the full gradient.
 */
class PowerSgdErrorFeedbackTest {

    @Test
    void errorFeedbackWithAggregatedFactorsLosesNothingAndConverges() {
        int n = 30;
        int m = 20;
        Layout layout = Layout.of(List.of(new Segment("w", 0, n * m, new int[] {n, m}), new Segment("b", n * m, 10)));
        int total = layout.totalLength();
        PowerSgdSpec spec = new PowerSgdSpec(2, true);
        TwoRoundCompressor[] c = {(TwoRoundCompressor) spec.create(layout), (TwoRoundCompressor) spec.create(layout)};
        TwoRoundCompressor driver = (TwoRoundCompressor) spec.create(layout);
        Memory[] mem = {Memories.parse("residual").create(layout), Memories.parse("residual").create(layout)};
        Random rnd = new Random(9);
        float[][] g = {PowerSgdTest.gaussian(rnd, total), PowerSgdTest.gaussian(rnd, total)};
        double[] mean = new double[total];
        for (int i = 0; i < total; i++) {
            mean[i] = (g[0][i] + g[1][i]) / 2.0;
        }
        int steps = 60;
        double[] applied = new double[total];
        double firstStepError = 0;
        for (int step = 0; step < steps; step++) {
            float[] update = new float[total];
            double[][] sentSum = new double[2][total];
            for (int j = 0; j < layout.size(); j++) {
                Segment s = layout.get(j);
                float[][] e = new float[2][s.length()];
                Message a1 = null;
                for (int w = 0; w < 2; w++) {
                    mem[w].compensate(j, g[w], s.offset(), s.length(), e[w]);
                    Message u1 = c[w].round1(e[w], 0, s.length(), PowerSgdTest.ctx(step, j, w));
                    a1 = a1 == null ? u1 : driver.merge(a1, u1);
                }
                Message d1 = driver.finishRound1(a1);
                Message a2 = null;
                for (int w = 0; w < 2; w++) {
                    Message u2 = c[w].round2(e[w], 0, s.length(), d1, PowerSgdTest.ctx(step, j, w));
                    a2 = a2 == null ? u2 : driver.merge(a2, u2);
                }
                driver.finishRound2(j, d1, a2, update, s.offset());
                for (int w = 0; w < 2; w++) {
                    float[] mine = new float[total];
                    c[w].finishRound2(j, d1, a2, mine, s.offset());
                    float[] sent = c[w].lowRank(j) ? Arrays.copyOfRange(mine, s.offset(), s.end()) : e[w];
                    mem[w].update(j, e[w], sent, s.length());
                    for (int i = 0; i < s.length(); i++) {
                        assertEquals(update[s.offset() + i], mine[s.offset() + i], "replicas agree bit for bit");
                    }
                }
            }
            for (int i = 0; i < total; i++) {
                applied[i] += update[i];
            }
            if (step == 0) {
                firstStepError = relativeError(mean, applied, 1);
            }
        }
        // conservation: sum of applied updates = steps * mean gradient - mean residual
        float[][] residual = new float[2][total];
        for (int w = 0; w < 2; w++) {
            for (int j = 0; j < layout.size(); j++) {
                Segment s = layout.get(j);
                float[] r = new float[s.length()];
                mem[w].compensate(j, new float[total], s.offset(), s.length(), r);
                System.arraycopy(r, 0, residual[w], s.offset(), s.length());
            }
        }
        for (int i = 0; i < total; i++) {
            double expected = steps * mean[i] - (residual[0][i] + residual[1][i]) / 2.0;
            assertEquals(expected, applied[i], 1e-3 * steps, "element " + i);
        }
        for (int i = n * m; i < total; i++) {
            assertEquals(0f, residual[0][i], "a dense segment leaves no residual");
        }
        double finalError = relativeError(mean, applied, steps);
        assertTrue(firstStepError > 0.5, "one rank-2 step of a random 30 x 20 matrix misses a lot: " + firstStepError);
        assertTrue(finalError < 0.1, "with error feedback the mean update converges: " + finalError);
    }

    private static double relativeError(double[] target, double[] applied, int steps) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < target.length; i++) {
            double d = target[i] - applied[i] / steps;
            num += d * d;
            den += target[i] * target[i];
        }
        return Math.sqrt(num / den);
    }
}
