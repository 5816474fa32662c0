/**
 * The driver side of the engine: the step loop ({@link io.lamina.app.engine.driver.DistributedTrainer}),
 * the rounds of a step with their snapshot reruns ({@code StepExchange}), the master copy and the
 * snapshots made from it, the audit of the replicas' checksums, and the step metrics.
 *
 * <p>May depend on {@code engine.protocol}, {@code engine.worker} (to hand Spark the task
 * functions), {@code model}, the compression API and {@code datasets}; nothing in
 * {@code engine.worker} or {@code engine.protocol} depends on this package.
 */
package io.lamina.app.engine.driver;
