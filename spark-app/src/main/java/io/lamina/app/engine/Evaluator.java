package io.lamina.app.engine;

import io.lamina.app.model.Dl4jNet;
import io.lamina.datasets.LabeledData;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Distributed evaluation: each partition of the cached test set is scored by a per-executor
 * network that takes the master's parameters from a broadcast; counts are summed on the driver.
 */
final class Evaluator {

    private static final int CHUNK = 256;

    private Evaluator() {
    }

    static EvalResult evaluate(JavaSparkContext sc, JavaRDD<LabeledData> testSlices, Broadcast<StepPlan> plan,
            float[] params) {
        Broadcast<float[]> bc = sc.broadcast(params);
        try {
            return testSlices.mapPartitions((Iterator<LabeledData> it) -> List.of(score(it.next(), plan.value(), bc.value()))
                    .iterator()).reduce(EvalResult::plus);
        } finally {
            bc.destroy(false);
        }
    }

    private static EvalResult score(LabeledData slice, StepPlan plan, float[] params) {
        int partition = TaskContext.getPartitionId();
        Dl4jNet net = (Dl4jNet) ReplicaRegistry.evalModel(plan.runId(), partition);
        if (net == null) {
            net = Dl4jNet.fromJson(plan.configJson(), plan.graph(), params);
            ReplicaRegistry.putEvalModel(plan.runId(), partition, net);
        } else {
            net.setParams(params);
        }
        return score(net, slice);
    }

    /** Accuracy and mean NLL of {@code net} on {@code data}, in chunks. */
    static EvalResult score(Dl4jNet net, LabeledData data) {
        int n = data.numExamples();
        int f = data.featureSize();
        int k = data.numClasses();
        long correct = 0;
        double loss = 0;
        for (int start = 0; start < n; start += CHUNK) {
            int b = Math.min(CHUNK, n - start);
            float[] x = new float[b * f];
            System.arraycopy(data.features(), start * f, x, 0, b * f);
            float[] p = net.output(x, b);
            for (int i = 0; i < b; i++) {
                int label = data.label(start + i);
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (p[i * k + c] > p[i * k + best]) {
                        best = c;
                    }
                }
                if (best == label) {
                    correct++;
                }
                loss -= Math.log(Math.max(p[i * k + label], 1e-12));
            }
        }
        return new EvalResult(correct, loss, n);
    }
}
