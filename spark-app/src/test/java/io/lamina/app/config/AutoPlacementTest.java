package io.lamina.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --optimizer-on auto}, the default: the optimizer runs on the workers for a biased
 * sparsifier with error feedback, on the master otherwise; the configuration keeps what was asked
 * and summary.json says both.
 */
class AutoPlacementTest {

    private static Map<String, Object> summary(String compressor, String memory) {
        return TrainConfig.defaults().with(TrainSetting.COMPRESSOR, compressor).with(TrainSetting.MEMORY, memory)
                .validate().toMap();
    }

    private static String resolved(String compressor, String memory) {
        Map<String, Object> s = summary(compressor, memory);
        assertEquals("auto", s.get("optimizer_on"), "what the user asked is kept");
        return (String) s.get("optimizer_on_resolved");
    }

    @Test
    void autoIsTheDefault() {
        assertEquals("auto", TrainSetting.OPTIMIZER_ON.defaultValue());
        assertEquals("auto", TrainConfig.defaults().get(TrainSetting.OPTIMIZER_ON));
        assertEquals("master", TrainConfig.defaults().toMap().get("optimizer_on_resolved"), "none: the master");
    }

    @Test
    void biasedSparsifiersWithErrorFeedbackRunTheOptimizerOnTheWorkers() {
        for (String c : new String[] {"topk:0.01", "threshold:v=0.01", "adaptive", "adaptive-tau:density=0.01",
                "dgc:0.01", "randomk:0.01", "randomk:0.01,scaled=false"}) {
            assertEquals("workers", resolved(c, "residual"), c + " + residual");
        }
        assertEquals("workers", TrainConfig.defaults().with(TrainSetting.COMPRESSOR, "topk:0.01")
                .with(TrainSetting.MEMORY, "dgc").with(TrainSetting.OPTIMIZER, "sgd").validate().toMap()
                .get("optimizer_on_resolved"), "topk + dgc");
    }

    @Test
    void everythingElseRunsItOnTheMaster() {
        assertEquals("master", resolved("topk:0.01", "none"), "no error feedback");
        assertEquals("master", resolved("randomk:0.01,scaled=true", "none"), "unbiased");
        assertEquals("master", resolved("qsgd:s=256", "residual"), "a quantiser");
        assertEquals("master", resolved("powersgd:rank=2", "residual"), "low rank");
        assertEquals("master", resolved("efsign", "efsign"), "scaled sign");
        assertEquals("master", resolved("signsgd", "none"), "majority vote");
        assertEquals("master", resolved("none", "residual"), "identity");
    }

    @Test
    void anExplicitPlacementIsKeptAsAsked() {
        Map<String, Object> s = TrainConfig.defaults().with(TrainSetting.COMPRESSOR, "topk:0.01")
                .with(TrainSetting.MEMORY, "residual").with(TrainSetting.OPTIMIZER_ON, "master").validate().toMap();
        assertEquals("master", s.get("optimizer_on"));
        assertEquals("master", s.get("optimizer_on_resolved"));
        s = TrainConfig.defaults().with(TrainSetting.OPTIMIZER_ON, "Workers").validate().toMap();
        assertEquals("workers", s.get("optimizer_on"));
        assertEquals("workers", s.get("optimizer_on_resolved"));
    }

    @Test
    void theStartLineSaysWhichWasChosenAndWhy() {
        TrainConfig c = TrainConfig.defaults().with(TrainSetting.COMPRESSOR, "topk:0.01").with(TrainSetting.MEMORY, "residual");
        assertEquals("the workers (auto: topk is a biased sparsifier with error feedback)", c.placement().describe());
        assertEquals(OptimizerPlacement.WORKERS, c.optimizerPlacement());
        assertEquals(OptimizerOn.AUTO, c.optimizerOn());
        assertEquals("the master (auto: qsgd is not a biased sparsifier)",
                c.with(TrainSetting.COMPRESSOR, "qsgd:s=256").placement().describe());
        assertEquals("the master", c.with(TrainSetting.OPTIMIZER_ON, "master").placement().describe());
    }
}
