package io.lamina.app.bench;

/**
 * One Lamina run's figures: medians over the measured steps (ms) and means of the bytes per step.
 * Overhead = wall - slowest task compute; its parts are the replica's update, the encoding, the
 * driver's part (decode, NaN check, downlink broadcast) and the rest ({@link #sparkMs()}).
 *
 * @param optimizerOn where the optimizer ran, resolved ({@code master} or {@code workers})
 * @param sparkResultBytesPerStep what Spark measured of the task results (Lamina's bytes plus Spark's framing)
 */
record LaminaRun(String model, String compressor, String granularity, String memory, String optimizerOn,
        String exchange, double samplesPerSecond, double medianWallMs, double medianComputeMs, double medianOverheadMs,
        double applyMs, double encodeMs, double driverMs, double uplinkPerStep, double downlinkPerStep,
        double sparkResultBytesPerStep) {

    /** Lamina's exchange of a step today: one Spark job per round, results summed in the merge tree. */
    static final String TREE_EXCHANGE = "tree";

    /** The overhead not attributed to Lamina's work: Spark's job, result serialization, scheduling. */
    double sparkMs() {
        return medianOverheadMs - applyMs - encodeMs - driverMs;
    }
}
