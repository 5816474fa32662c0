package io.lamina.app.engine.protocol;

import java.io.Serializable;

/** Test-set counts from one or more partitions: correct predictions, summed loss, examples. */
public record EvalResult(long correct, double lossSum, long count) implements Serializable {

    public EvalResult plus(EvalResult o) {
        return new EvalResult(correct + o.correct, lossSum + o.lossSum, count + o.count);
    }

    public double accuracy() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    /** Mean negative log-likelihood. */
    public double loss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }
}
