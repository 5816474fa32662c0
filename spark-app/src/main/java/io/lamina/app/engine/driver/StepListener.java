package io.lamina.app.engine.driver;

/** Called on the driver after every step (metrics writers, progress, tests that inject faults). */
@FunctionalInterface
public interface StepListener {
    void onStep(StepRecord record);
}
