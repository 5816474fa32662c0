package io.lamina.app.engine.driver;

import io.lamina.app.engine.protocol.EvalResult;
import io.lamina.app.engine.protocol.StepPlan;
import io.lamina.app.engine.worker.EvalTask;
import io.lamina.app.engine.protocol.LaminaBroadcast;
import io.lamina.app.engine.protocol.LaminaBytes;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Distributed evaluation of the master's parameters on the cached test slices (Lamina's bytes);
 * the counts travel as Lamina's bytes too and are summed in Spark's reduce.
 */
final class Evaluator {

    private Evaluator() {
    }

    static EvalResult evaluate(JavaSparkContext sc, JavaRDD<byte[]> testSlices, LaminaBroadcast<StepPlan> plan,
            float[] params) {
        LaminaBroadcast<float[]> bc = LaminaBroadcast.of(sc, params, float[].class);
        try {
            byte[] sum = testSlices.mapPartitions(new EvalTask(plan, bc)).reduce((a, b) -> LaminaBytes.write(
                    LaminaBytes.read(a, EvalResult.class).plus(LaminaBytes.read(b, EvalResult.class))));
            return LaminaBytes.read(sum, EvalResult.class);
        } finally {
            bc.destroy();
        }
    }
}
