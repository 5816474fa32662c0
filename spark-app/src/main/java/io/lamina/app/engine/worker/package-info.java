/**
 * The executor side of the engine: the task of one round of a step
 * ({@link io.lamina.app.engine.worker.StepTask}), the model replica with its memory and protocol
 * state, the per-JVM registry of replicas, the evaluation task, and the fault-injection hook for
 * tests of Spark's task retries.
 *
 * <p>May depend on {@code engine.protocol}, {@code model}, the compression API and
 * {@code datasets}; never on {@code engine.driver}.
 */
package io.lamina.app.engine.worker;
