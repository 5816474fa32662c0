package io.lamina.app.bench;

/**
 * Spark's floors for a Lamina-shaped step ({@link SparkFloor}), median ms, and the job shape they
 * were measured on. Which floor a run is compared with: {@code dense_result} for {@code none}
 * (dense messages both ways), {@code broadcast} for every compressor (small messages, a small
 * downlink broadcast). A compressor whose messages are a large part of dense lies between the two.
 *
 * @param partitions     the cached blocks, one per worker
 * @param treeLevels     merge levels run on the executors before the driver's (Lamina's MergeTree)
 * @param broadcastBytes the {@code broadcast} floor's broadcast
 * @param denseBytes     the dense message, 4 bytes per parameter: the {@code dense_result} floor's broadcast and results
 */
record Floors(double tinyMs, double broadcastMs, double denseResultMs, int partitions, int treeLevels,
        int broadcastBytes, int denseBytes) {

    static final String TINY = "tiny";
    static final String BROADCAST = "broadcast";
    static final String DENSE_RESULT = "dense_result";

    /** The name of the floor of the job shaped like a run of {@code compressor}. */
    static String matchingKind(String compressor) {
        return compressor.equals("none") ? DENSE_RESULT : BROADCAST;
    }

    /** That floor's median ms. */
    double matching(String compressor) {
        return matchingKind(compressor).equals(DENSE_RESULT) ? denseResultMs : broadcastMs;
    }
}
