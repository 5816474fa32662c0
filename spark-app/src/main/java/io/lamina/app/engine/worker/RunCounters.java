package io.lamina.app.engine.worker;

import io.lamina.app.engine.protocol.Telemetry;
import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * A run's figures as named Spark accumulators ({@code lamina.*}), so the Spark UI and a user's
 * listeners see them without reading Lamina's metrics. The step tasks add what they measure
 * (shown on every step stage's page; Spark keeps only a task's successful attempt, but a step
 * redone from a snapshot counts each try); the driver adds the steps and the downlink bytes.
 */
public final class RunCounters implements Serializable {

    private static final long serialVersionUID = 1L;

    private final LongAccumulator uplinkBytes;
    private final LongAccumulator examples;
    private final DoubleAccumulator computeMs;
    private final DoubleAccumulator encodeMs;
    private final DoubleAccumulator applyMs;
    private final LongAccumulator steps;
    private final LongAccumulator downlinkBytes;

    private RunCounters(SparkContext sc) {
        uplinkBytes = sc.longAccumulator("lamina.uplink_bytes");
        examples = sc.longAccumulator("lamina.examples");
        computeMs = sc.doubleAccumulator("lamina.compute_ms");
        encodeMs = sc.doubleAccumulator("lamina.encode_ms");
        applyMs = sc.doubleAccumulator("lamina.apply_ms");
        steps = sc.longAccumulator("lamina.steps");
        downlinkBytes = sc.longAccumulator("lamina.downlink_bytes");
    }

    /** Registers a run's counters with the context (on the driver). */
    public static RunCounters register(SparkContext sc) {
        return new RunCounters(sc);
    }

    /** One task's result: the bytes it ships and what its telemetry measured. */
    void add(long shippedBytes, Telemetry t) {
        uplinkBytes.add(shippedBytes);
        examples.add(t.examples());
        computeMs.add(t.sumComputeNanos() / 1e6);
        encodeMs.add(t.sumEncodeNanos() / 1e6);
        applyMs.add(t.sumApplyNanos() / 1e6);
    }

    /** On the driver: a step is done, having sent {@code downlink} bytes to the workers. */
    public void stepDone(long downlink) {
        steps.add(1);
        downlinkBytes.add(downlink);
    }

    /** Bytes the step tasks shipped so far (read on the driver). */
    public long uplinkBytes() {
        return uplinkBytes.value();
    }

    public long examples() {
        return examples.value();
    }

    public long steps() {
        return steps.value();
    }

    public long downlinkBytes() {
        return downlinkBytes.value();
    }
}
