/**
 * What travels between the driver and the workers, and the rules both sides share: the run's
 * {@link io.lamina.app.engine.protocol.StepPlan}, a worker's {@link io.lamina.app.engine.protocol.Uplink},
 * the merged {@link io.lamina.app.engine.protocol.Aggregate} (with its
 * {@link io.lamina.app.engine.protocol.Telemetry}), the step's
 * {@link io.lamina.app.engine.protocol.Downlink}, the {@link io.lamina.app.engine.protocol.Snapshot}
 * a replica rebuilds from, their Kryo serializers ({@link io.lamina.app.engine.protocol.ProtocolWire}),
 * Lamina's own bytes, the only thing handed to Spark ({@link io.lamina.app.engine.protocol.LaminaBytes},
 * {@link io.lamina.app.engine.protocol.LaminaBroadcast}),
 * and {@link io.lamina.app.engine.protocol.UpdateRule}, the one code path by which a downlink
 * changes parameters on the master and on every replica.
 *
 * <p>May depend on {@code model}, the compression library, {@code datasets} and Spark; never on
 * {@code engine.driver} or {@code engine.worker}.
 */
package io.lamina.app.engine.protocol;
