package io.lamina.app.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: combinations that train, but wrong, are rejected by {@link TrainConfig#validate()}
 * (so by {@code lamina train} with exit 2, the Java API and the experiment loader) before Spark
 * starts, naming the pair and what is allowed.
 */
class CombinationRulesTest {

    private static TrainConfig config(Object... keyValues) {
        TrainConfig c = TrainConfig.defaults();
        for (int i = 0; i < keyValues.length; i += 2) {
            c = c.with(Map.of((TrainSetting) keyValues[i], keyValues[i + 1]));
        }
        return c;
    }

    private static void rejected(TrainConfig c, String... expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate, c.toString());
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), "message should mention '" + s + "': " + e.getMessage());
        }
    }

    private static void accepted(TrainConfig c) {
        assertDoesNotThrow(c::validate, c.toString());
    }

    @Test
    void majorityVoteCannotCarryTheWorkersUpdates() {
        for (String vote : new String[] {"signsgd", "signum"}) {
            rejected(config(TrainSetting.COMPRESSOR, vote, TrainSetting.OPTIMIZER_ON, "workers"),
                    "'" + vote + "'", "majority vote", "no learning rate", "allowed", "master");
            accepted(config(TrainSetting.COMPRESSOR, vote, TrainSetting.OPTIMIZER_ON, "master"));
        }
        accepted(config(TrainSetting.COMPRESSOR, "efsign", TrainSetting.OPTIMIZER_ON, "workers"));
    }

    @Test
    void scaledRandomKTakesNoErrorFeedback() {
        for (String memory : new String[] {"residual", "dgc"}) {
            rejected(config(TrainSetting.COMPRESSOR, "randomk:0.01,scaled=true", TrainSetting.MEMORY, memory,
                    TrainSetting.OPTIMIZER, "sgd"), "randomk", "'" + memory + "'", "e(1 - d/k)", "scaled=false",
                    "memory none");
        }
        accepted(config(TrainSetting.COMPRESSOR, "randomk:0.01,scaled=true", TrainSetting.MEMORY, "none"));
        accepted(config(TrainSetting.COMPRESSOR, "randomk:0.01", TrainSetting.MEMORY, "residual"));
        accepted(config(TrainSetting.COMPRESSOR, "randomk:0.01,scaled=false", TrainSetting.MEMORY, "dgc",
                TrainSetting.OPTIMIZER, "sgd"));
    }

    @Test
    void dgcMomentumCorrectionIsFollowedByPlainSgdOnly() {
        for (String optimizer : new String[] {"adam", "nesterov"}) {
            for (String on : new String[] {"master", "workers"}) {
                rejected(config(TrainSetting.COMPRESSOR, "topk:0.01", TrainSetting.MEMORY, "dgc",
                        TrainSetting.OPTIMIZER, optimizer, TrainSetting.OPTIMIZER_ON, on),
                        "memory 'dgc'", "'" + optimizer + "'", "second momentum", "allowed", "sgd");
            }
        }
        accepted(config(TrainSetting.COMPRESSOR, "dgc:0.01", TrainSetting.MEMORY, "dgc", TrainSetting.OPTIMIZER, "sgd"));
    }

    @Test
    void efSignsScaledResidualNeedsAConstantStepWhenTheMasterRunsTheOptimizer() {
        TrainConfig ef = config(TrainSetting.COMPRESSOR, "efsign", TrainSetting.MEMORY, "efsign",
                TrainSetting.OPTIMIZER_ON, "master");
        rejected(ef.with(TrainSetting.LR_SCHEDULE, "linear"), "memory 'efsign'", "constant", "workers");
        rejected(ef.with(TrainSetting.WARMUP_STEPS, 10), "memory 'efsign'", "constant", "workers");
        accepted(ef);
        accepted(ef.with(TrainSetting.LR_SCHEDULE, "exp:0.99").with(TrainSetting.WARMUP_STEPS, 10)
                .with(TrainSetting.OPTIMIZER_ON, "workers"));
        // the plain residual keeps no step inside: a schedule is fine there
        accepted(config(TrainSetting.COMPRESSOR, "efsign", TrainSetting.MEMORY, "residual",
                TrainSetting.LR_SCHEDULE, "linear", TrainSetting.OPTIMIZER_ON, "master"));
    }

    @Test
    void theJavaApiRejectsThemToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> io.lamina.app.api.Lamina.trainer().compressor("signum").optimizerOn("workers").config());
        assertTrue(e.getMessage().contains("majority vote"), e.getMessage());
    }
}
