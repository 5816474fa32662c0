package io.lamina.compression;

import io.lamina.compression.method.Compatibility;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.method.Memories;
import io.lamina.compression.method.AutoPayload;
import io.lamina.compression.method.Method;
import io.lamina.compression.method.Methods;
import io.lamina.compression.method.OptimizerTraits;
import io.lamina.compression.method.Payload;
import io.lamina.compression.method.Sparsity;
import java.util.Set;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CompatibilityTest {

    private static void ok(String c, String m) {
        assertDoesNotThrow(() -> Compatibility.check(Compressors.parse(c), Memories.parse(m), Payload.GRADIENTS), c + " + " + m);
    }

    private static void bad(String c, String m, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compatibility.check(Compressors.parse(c), Memories.parse(m), Payload.GRADIENTS), c + " + " + m);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void everyCompressorWorksWithoutMemory() {
        for (String name : Compressors.names()) {
            // a method whose main parameter has no default (topk-budget's budget) by its first example
            ok(name.equals("topk-budget") ? Methods.get(name).examples().get(0) : name, "none");
        }
    }

    @Test
    void theDefaultMemoryOfEveryCompressorIsCompatible() {
        for (String spec : Methods.allExamples()) {
            CompressorSpec c = Compressors.parse(spec);
            assertDoesNotThrow(() -> Compatibility.check(c, Compatibility.defaultMemory(c), Payload.GRADIENTS), spec);
        }
        assertTrue(Compatibility.defaultMemory(Compressors.parse("topk")).name().equals("residual"));
        assertTrue(Compatibility.defaultMemory(Compressors.parse("signsgd")).name().equals("none"));
        assertTrue(Compatibility.defaultMemory(Compressors.parse("efsign")).name().equals("efsign"));
        assertTrue(Compatibility.defaultMemory(Compressors.parse("randomk:0.01,scaled=true")).name().equals("none"));
    }

    @Test
    void sensiblePairsPass() {
        ok("topk:0.01", "residual");
        ok("topk:0.01", "dgc");
        ok("dgc:0.01", "dgc");
        ok("efsign", "efsign");
        ok("qsgd:s=256", "residual");
        ok("powersgd:rank=2", "residual");
    }

    @Test
    void invalidPairsFailNamingWhatIsAllowed() {
        bad("qsgd", "dgc", "needs a sparsifier");
        bad("topk:0.01", "efsign", "scaled-sign");
        bad("signsgd", "residual", "majority vote");
        bad("powersgd:rank=2", "dgc", "needs a sparsifier");
        bad("powersgd:rank=2", "efsign", "scaled-sign");
    }

    @Test
    void majorityVoteCarriesGradientsOnly() {
        for (String vote : new String[] {"signsgd", "signum"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Compatibility.check(
                    Compressors.parse(vote), Memories.parse("none"), Payload.UPDATES));
            assertTrue(e.getMessage().contains("majority vote") && e.getMessage().contains("optimizer on the master"),
                    e.getMessage());
        }
        for (String other : new String[] {"efsign", "onebit", "topk:0.01", "qsgd:s=256", "powersgd:rank=2", "none"}) {
            assertDoesNotThrow(() -> Compatibility.check(Compressors.parse(other), Memories.parse("none"),
                    Payload.UPDATES), other);
        }
    }

    @Test
    void aScaledSparsifierTakesNoErrorFeedback() {
        bad("randomk:0.01,scaled=true", "residual", "e(1 - d/k)");
        bad("randomk:0.01,scaled=true,dense_below=64", "dgc", "scaled=true with memory none");
        ok("randomk:0.01,scaled=true", "none");
        ok("randomk:0.01", "residual");
    }

    @Test
    void memoriesDemandWhatTheOptimizerDoes() {
        OptimizerTraits adam = new OptimizerTraits("adam", true, true);
        OptimizerTraits scheduledSgd = new OptimizerTraits("sgd", false, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compatibility.checkOptimizer(Memories.parse("dgc"), Payload.UPDATES, adam));
        assertTrue(e.getMessage().contains("second momentum"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Compatibility.checkOptimizer(Memories.parse("efsign"), Payload.GRADIENTS, scheduledSgd));
        assertTrue(e.getMessage().contains("constant learning rate"), e.getMessage());
        assertDoesNotThrow(() -> Compatibility.checkOptimizer(Memories.parse("efsign"), Payload.UPDATES, scheduledSgd));
        assertDoesNotThrow(() -> Compatibility.checkOptimizer(Memories.parse("dgc"), Payload.GRADIENTS, scheduledSgd));
        assertDoesNotThrow(() -> Compatibility.checkOptimizer(Memories.parse("residual"), Payload.GRADIENTS, adam));
    }

    @Test
    void autoSendsUpdatesForBiasedSparsifiersWithErrorFeedbackOnly() {
        for (String spec : Methods.allExamples()) {
            CompressorSpec c = Compressors.parse(spec);
            boolean biased = Methods.get(c.name()).sparsity(c) == Sparsity.BIASED;
            for (String memory : new String[] {"none", "residual"}) {
                Payload expected = biased && memory.equals("residual") ? Payload.UPDATES : Payload.GRADIENTS;
                assertEquals(expected, AutoPayload.choose(c, Memories.parse(memory)).payload(), spec + " + " + memory);
            }
        }
        assertEquals(Set.of("topk", "topk-budget", "randomk", "threshold", "adaptive", "adaptive-tau", "dgc"),
                Methods.all().stream().filter(m -> m.sparsity(Compressors.parse(m.examples().get(0))) == Sparsity.BIASED)
                        .map(Method::name).collect(java.util.stream.Collectors.toSet()));
        assertEquals("topk is a biased sparsifier with error feedback",
                AutoPayload.choose(Compressors.parse("topk:0.01"), Memories.parse("dgc")).why());
    }

    @Test
    void outOfRangeParametersFailAtParse() {
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("topk:1.5"));
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("topk:0"));
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("qsgd:s=0"));
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("powersgd:rank=0"));
    }
}
