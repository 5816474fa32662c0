package io.lamina.app.engine.driver;

import io.lamina.app.engine.protocol.EvalResult;
import io.lamina.app.engine.protocol.StepPlan;
import io.lamina.app.engine.worker.EvalTask;
import io.lamina.datasets.LabeledData;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/** Distributed evaluation of the master's parameters on the cached test slices; counts summed here. */
final class Evaluator {

    private Evaluator() {
    }

    static EvalResult evaluate(JavaSparkContext sc, JavaRDD<LabeledData> testSlices, Broadcast<StepPlan> plan,
            float[] params) {
        Broadcast<float[]> bc = sc.broadcast(params);
        try {
            return testSlices.mapPartitions(new EvalTask(plan, bc)).reduce(EvalResult::plus);
        } finally {
            bc.destroy(false);
        }
    }
}
