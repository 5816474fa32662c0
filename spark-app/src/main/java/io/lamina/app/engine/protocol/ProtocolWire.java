package io.lamina.app.engine.protocol;

import com.esotericsoftware.kryo.Kryo;
import io.lamina.datasets.DataBlock;
import io.lamina.datasets.LabeledData;

/**
 * Kryo registrations of the engine's protocol types, ids 1100-1199, each with a Lamina-format
 * serializer (explicit fields, checked counts; no Java serialization): per-step traffic
 * (aggregates, downlinks, snapshots), what is sent once per run (the step plan, the data sets and
 * blocks, {@link RunWire}) and the evaluation counts. Used by {@link LaminaBytes}, and by
 * {@code LaminaKryoRegistrator} for users who want these types in Spark's own Kryo.
 */
public final class ProtocolWire {

    private ProtocolWire() {
    }

    public static void register(Kryo kryo) {
        kryo.register(Aggregate.class, new AggregateSerializer(), 1100);
        kryo.register(Snapshot.class, new SnapshotSerializer(), 1101);
        kryo.register(StepPlan.class, new RunWire.StepPlanSerializer(), 1102);
        kryo.register(LabeledData.class, new RunWire.LabeledDataSerializer(), 1103);
        kryo.register(DataBlock.class, new RunWire.DataBlockSerializer(), 1104);
        kryo.register(EvalResult.class, new RunWire.EvalResultSerializer(), 1105);
        kryo.register(Downlink.class, new DownlinkSerializer(), 1106);
        // 1107: float[] (LaminaBytes)
        kryo.register(WorkerState.class, new CheckpointSerializer.WorkerStateSerializer(), 1108);
        kryo.register(Checkpoint.class, new CheckpointSerializer(), 1109);
    }
}
