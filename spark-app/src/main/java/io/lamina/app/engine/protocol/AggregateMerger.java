package io.lamina.app.engine.protocol;

import io.lamina.compression.RoundProtocol;
import org.apache.spark.api.java.function.Function2;

/**
 * The reduce function of a step's jobs on shipped aggregates (Lamina's bytes): reads two, merges
 * them with {@link Aggregate#merge} in the run's {@link MergeTree}, writes one. The protocol is
 * created once per JVM that merges (executors of intermediate levels, the driver).
 */
public final class AggregateMerger implements Function2<byte[], byte[], byte[]> {

    private static final long serialVersionUID = 1L;

    private final LaminaBroadcast<StepPlan> plan;
    private final MergeTree tree;
    private transient RoundProtocol protocol;

    public AggregateMerger(LaminaBroadcast<StepPlan> plan, MergeTree tree) {
        this.plan = plan;
        this.tree = tree;
    }

    @Override
    public byte[] call(byte[] a, byte[] b) {
        if (protocol == null) {
            StepPlan p = plan.value();
            protocol = RoundProtocol.of(p.compressor().create(p.segments()));
        }
        return LaminaBytes.write(Aggregate.merge(Aggregate.read(a), Aggregate.read(b), protocol, tree));
    }
}
