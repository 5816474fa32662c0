package io.lamina.app.engine.worker;

import io.lamina.app.config.OptimizerPlacement;
import io.lamina.app.engine.protocol.Downlink;
import io.lamina.app.engine.protocol.LaminaBroadcast;
import io.lamina.app.engine.protocol.LaminaBytes;
import io.lamina.app.engine.protocol.StepPlan;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The executor side of a checkpoint: the partition's replica applies the last step's downlink
 * (what the next step's task would do first, including the memory's feedback from the
 * aggregate) and ships its {@code WorkerState} as Lamina's bytes; nothing if the replica is not
 * here or not the one the driver heard from last (then the worker restarts with empty memory).
 */
public final class StateTask implements FlatMapFunction<Iterator<byte[]>, byte[]> {

    private static final long serialVersionUID = 1L;

    private final LaminaBroadcast<StepPlan> plan;
    /** The complete downlink of the last step (null before the first). */
    private final LaminaBroadcast<Downlink> downlink;
    /** The version the state is taken at: steps done. */
    private final long version;
    private final long[] owners;

    public StateTask(LaminaBroadcast<StepPlan> plan, LaminaBroadcast<Downlink> downlink, long version, long[] owners) {
        this.plan = plan;
        this.downlink = downlink;
        this.version = version;
        this.owners = owners;
    }

    @Override
    public Iterator<byte[]> call(Iterator<byte[]> blocks) {
        while (blocks.hasNext()) {
            blocks.next();
        }
        StepPlan p = plan.value();
        int partition = TaskContext.getPartitionId();
        Replica r = ReplicaRegistry.replica(p.runId(), partition);
        if (r == null || (owners != null && owners[partition] != 0 && r.id != owners[partition])) {
            return List.<byte[]>of().iterator();
        }
        if (downlink != null && r.version == version - 1) {
            r.apply(downlink.value(), p);
        }
        if (r.version != version) {
            return List.<byte[]>of().iterator();
        }
        return List.of(LaminaBytes.write(r.state(partition, p.optimizerOn() == OptimizerPlacement.WORKERS))).iterator();
    }
}
