package io.lamina.app.engine.driver;

import io.lamina.app.engine.protocol.Checksums;
import io.lamina.app.engine.protocol.Downlink;
import io.lamina.app.engine.protocol.Snapshot;
import io.lamina.app.engine.protocol.StepPlan;
import io.lamina.app.engine.protocol.UpdateRule;
import io.lamina.app.model.Dl4jNet;
import io.lamina.compression.RoundProtocol;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The driver's master copy of the model and its protocol instance (whose shared state, e.g.
 * PowerSGD's warm-start Q, advances with every decoded step). Its update runs on a background
 * thread, overlapped with the next step's Spark job: nothing on the next step's path needs it
 * (replicas apply the downlink themselves). Every read of the master waits for it first.
 */
final class MasterCopy implements AutoCloseable {

    private final Dl4jNet net;
    private final RoundProtocol protocol;
    private final StepPlan plan;
    private final ExecutorService updates = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lamina-master-update");
        t.setDaemon(true);
        return t;
    });
    private Future<?> pending;

    MasterCopy(Dl4jNet net, RoundProtocol protocol, StepPlan plan) {
        this.net = net;
        this.protocol = protocol;
        this.plan = plan;
    }

    /** The step's update from its complete downlink, exactly as every replica computes it. */
    float[] decode(Downlink downlink) {
        float[] update = new float[net.numParams()];
        UpdateRule.decode(downlink, protocol, plan.segments(), update);
        return update;
    }

    /** Applies a decoded update of {@code step} in the background. */
    void applyAsync(float[] update, long step) {
        await();
        pending = updates.submit(() -> UpdateRule.apply(net, update, plan, step));
    }

    /** The checksum replicas at the same version must match. */
    long checksum() {
        return Checksums.of(network().params());
    }

    /** What a replica rebuilt at {@code version} (= updates applied) starts from. */
    Snapshot snapshot(long version) {
        return Snapshot.of(version, network(), protocol);
    }

    /** Continues from a checkpoint's master: parameters, updater state, counters, the protocol's shared state. */
    void restore(Snapshot s) {
        Dl4jNet n = network();
        if (s.params().length != n.numParams()) {
            throw new IllegalArgumentException("the checkpoint's model has " + s.params().length
                    + " parameters; this configuration's has " + n.numParams());
        }
        n.setParams(s.params());
        n.setUpdaterState(s.updaterState());
        n.setIteration(s.iteration());
        n.setEpoch(s.epoch());
        protocol.restoreSharedState(s.compressorState());
    }

    /** The protocol instance whose shared state follows the master (also the exchange's, for downlinks). */
    RoundProtocol protocol() {
        return protocol;
    }

    /** The network with every submitted update applied. */
    Dl4jNet network() {
        await();
        return net;
    }

    /** Waits for the pending update, rethrowing its failure. */
    private void await() {
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while updating the master copy", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("updating the master copy failed: " + e.getCause(), e.getCause());
        } finally {
            pending = null;
        }
    }

    @Override
    public void close() {
        await();
        updates.shutdown();
    }
}
