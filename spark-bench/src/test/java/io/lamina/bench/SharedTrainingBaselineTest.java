package io.lamina.bench;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.lamina.app.bench.ParameterServerBaseline;
import org.junit.jupiter.api.Test;

/** On the bench module's class path, {@code lamina bench} finds DL4J's SharedTrainingMaster baseline. */
class SharedTrainingBaselineTest {

    @Test
    void benchFindsTheBaselineThroughServiceLoader() {
        assertInstanceOf(SharedTrainingBaseline.class, ParameterServerBaseline.find().orElseThrow());
    }
}
