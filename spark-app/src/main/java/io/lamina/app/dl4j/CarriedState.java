package io.lamina.app.dl4j;

import io.lamina.app.engine.driver.DistributedTrainer;
import io.lamina.app.engine.protocol.Checkpoint;
import io.lamina.app.engine.protocol.Snapshot;
import io.lamina.app.engine.protocol.WorkerState;
import io.lamina.app.model.Dl4jNet;
import io.lamina.compression.Layout;
import java.util.Arrays;
import java.util.Map;

/**
 * What one {@code fit} of {@link LaminaTrainingMaster} leaves the next so that it continues as a
 * resumed run would: the engine's {@link Checkpoint} at the fit's end (the master as written back
 * into the network, the protocol's shared state such as PowerSGD's Q, and every worker's
 * residuals, compressor state and, with the optimizer on the workers, updater state), the
 * compression layout and the steps per epoch it ran with.
 *
 * <p>Carrying over is only valid for the network the fit wrote back, unchanged: {@link #whyNot}
 * says what differs. The TrainingMaster's own settings (workers, compressor, memory, ...) cannot
 * change between fits: they are fixed when it is built.
 */
final class CarriedState {

    private final Checkpoint checkpoint;
    private final Layout segments;
    private final int stepsPerEpoch;

    private CarriedState(Checkpoint checkpoint, Layout segments, int stepsPerEpoch) {
        this.checkpoint = checkpoint;
        this.segments = segments;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /** The state of {@code trainer} after its last step (one Spark job reads the workers' states). */
    static CarriedState after(DistributedTrainer trainer, Map<String, String> settings) {
        return new CarriedState(trainer.checkpoint(settings), trainer.plan().segments(),
                trainer.plan().stepsPerEpoch());
    }

    /** Steps done over all the fits carried so far. */
    long steps() {
        return checkpoint.steps();
    }

    /** Steps per epoch of the last fit's data. */
    int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /**
     * Null if the next fit may continue from this state with {@code network} compressed as
     * {@code segments}; otherwise why not, as a sentence for the log.
     */
    String whyNot(Dl4jNet network, Layout segments, int workers) {
        Snapshot m = checkpoint.master();
        if (network.numParams() != m.params().length) {
            return "the network has " + network.numParams() + " parameters, the last fit's " + m.params().length;
        }
        if (!segments.equals(this.segments)) {
            return "the network's compression segments differ from the last fit's (another architecture)";
        }
        if (checkpoint.workers().length != workers) {
            return "the last fit had " + checkpoint.workers().length + " workers, this one " + workers;
        }
        // Bit for bit: the workers' residuals and optimizer states belong to these exact parameters.
        if (!Arrays.equals(network.params(), m.params())) {
            return "the network's parameters differ from what the last fit wrote back (changed between fits)";
        }
        if (!Arrays.equals(network.updaterState(), m.updaterState())) {
            return "the network's updater state differs from what the last fit wrote back (changed between fits)";
        }
        return null;
    }

    /**
     * The step the next fit starts at when its data gives {@code stepsPerEpoch} steps per epoch:
     * where the last fit stopped if that is unchanged (a resumed run), else the first step of the
     * epoch after the last fit's (a different amount of data: the epoch index still continues).
     */
    long startStep(int stepsPerEpoch) {
        long done = checkpoint.steps();
        if (stepsPerEpoch == this.stepsPerEpoch) {
            return done;
        }
        long nextEpoch = (done + this.stepsPerEpoch - 1) / this.stepsPerEpoch;
        return nextEpoch * stepsPerEpoch;
    }

    /** The checkpoint to resume from at {@code step} ({@link #startStep}), renumbered if it was taken at another. */
    Checkpoint at(long step) {
        Checkpoint c = checkpoint;
        if (step == c.steps()) {
            return c;
        }
        Snapshot m = c.master();
        WorkerState[] workers = new WorkerState[c.workers().length];
        for (int p = 0; p < workers.length; p++) {
            WorkerState w = c.workers()[p];
            workers[p] = w == null ? null : new WorkerState(w.partition(), step, w.iteration(), w.epoch(),
                    w.updaterState(), w.memory(), w.compressor());
        }
        return new Checkpoint(step, new Snapshot(step, m.params(), m.updaterState(), m.iteration(), m.epoch(),
                m.compressorState()), workers, c.uplinkBytes(), c.downlinkBytes(), c.rebuiltReplicas(),
                c.checksumMismatches(), c.settings());
    }
}
