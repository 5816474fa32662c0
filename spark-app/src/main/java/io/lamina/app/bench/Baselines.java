package io.lamina.app.bench;

/**
 * What the bench measured besides Lamina; a null field was not measured ({@code --no-baselines},
 * a ComputationGraph model for DL4J's masters, no bench jar) and is left out of the tables and bench.json.
 *
 * @param fit1Thread          single-JVM DL4J fit on one thread, samples/s
 * @param fitConcurrent       one such fit per worker at once, samples/s in total
 * @param parameterAveraging  DL4J's ParameterAveragingTrainingMaster, averaging frequency 1
 * @param sharedTraining      DL4J's SharedTrainingMaster
 */
record Baselines(Double fit1Thread, Double fitConcurrent, ParameterAveraging parameterAveraging,
        ParameterServerBaseline.Result sharedTraining) {

    static final Baselines NONE = new Baselines(null, null, null, null);

    /** ParameterAveraging's figures: uplink measured (Spark task results), downlink its broadcasts. */
    record ParameterAveraging(double samplesPerSecond, double uplinkPerStep, double downlinkPerStep,
            double testAccuracy) {
    }
}
