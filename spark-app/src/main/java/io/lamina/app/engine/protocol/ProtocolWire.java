package io.lamina.app.engine.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.lamina.datasets.DataBlock;
import io.lamina.datasets.LabeledData;

/**
 * Kryo registrations of the engine's protocol types, ids 1100-1199. Per-step traffic (aggregates,
 * downlinks, snapshots) has dedicated serializers; objects sent once per run (the step plan, the
 * data set broadcast) use Java serialization inside Kryo, which is simple and costs nothing per step.
 */
public final class ProtocolWire {

    private ProtocolWire() {
    }

    public static void register(Kryo kryo) {
        kryo.register(Aggregate.class, new AggregateSerializer(), 1100);
        kryo.register(Snapshot.class, new SnapshotSerializer(), 1101);
        kryo.register(StepPlan.class, new JavaSerializer(), 1102);
        kryo.register(LabeledData.class, new JavaSerializer(), 1103);
        kryo.register(DataBlock.class, new JavaSerializer(), 1104);
        kryo.register(EvalResult.class, new JavaSerializer(), 1105);
        kryo.register(Downlink.class, new DownlinkSerializer(), 1106);
    }
}
