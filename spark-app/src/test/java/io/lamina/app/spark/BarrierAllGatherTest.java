package io.lamina.app.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Why Lamina has no {@code --exchange barrier} (docs/PERFORMANCE.md, "Barrier exchange:
 * measured"): in Spark 3.5 a task waits for {@code BarrierTaskContext.allGather}'s reply in
 * {@code Thread.sleep(1000)} polls, so a step exchanged that way costs hundreds of milliseconds,
 * far above a step's Spark job. If this fails after a Spark upgrade, the poll is gone: rerun
 * {@link BarrierExchangeProbe} and reconsider the barrier exchange.
 */
class BarrierAllGatherTest {

    @Test
    void anAllGatherStepCostsMoreThanAStepsJob() {
        try (JavaSparkContext sc = SparkContexts.create("local[2]", "barrier-allgather-test")) {
            JavaRDD<byte[]> blocks = BarrierExchangeProbe.cachedBlocks(sc, 2);
            BarrierExchangeProbe.perJobSteps(blocks, 5, 100); // warm-up
            double job = BarrierExchangeProbe.median(BarrierExchangeProbe.perJobSteps(blocks, 15, 100));
            double gather = BarrierExchangeProbe.allGatherStepMs(blocks, 4, 100, BarrierExchangeProbe.Encoding.LATIN1);
            // Measured here: 376 to 916 ms per allGather step, 11 to 19 ms per job (docs/PERFORMANCE.md).
            // Each step makes at least one of the two tasks sleep until its next whole second.
            assertTrue(gather >= 200, "an allGather step took " + gather + " ms: Spark no longer polls once a "
                    + "second? Rerun BarrierExchangeProbe and update docs/PERFORMANCE.md");
            assertTrue(job < gather, "a step's job (" + job + " ms) was not faster than an allGather step ("
                    + gather + " ms)");
        }
    }
}
