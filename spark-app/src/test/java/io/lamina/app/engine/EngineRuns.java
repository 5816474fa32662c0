package io.lamina.app.engine;

import io.lamina.app.config.TrainConfig;
import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.datasets.TrainTestData;
import org.apache.spark.api.java.JavaSparkContext;

/** Whole training runs for the engine's tests. */
final class EngineRuns {

    private EngineRuns() {
    }

    /** The master's parameters after a complete run of {@code config}; the run's state is freed. */
    static float[] finalParams(JavaSparkContext sc, TrainConfig config, TrainTestData data) {
        DistributedTrainer t = new DistributedTrainer(sc, config, data);
        try {
            t.fit();
            return t.master().params();
        } finally {
            t.close();
        }
    }
}
