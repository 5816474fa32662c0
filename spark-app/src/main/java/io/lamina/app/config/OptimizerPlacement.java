package io.lamina.app.config;

import io.lamina.compression.method.Payload;
import java.util.Locale;

/**
 * Where a run's optimizer (DL4J's updater: Adam, Nesterov, ...) is applied: what the engine
 * runs, resolved from what the user asked ({@link OptimizerOn}, which may be {@code auto}).
 *
 * <ul>
 *   <li>{@link #MASTER}: workers send (compressed) gradients; the averaged gradient goes through
 *       one updater, identically on the master and every replica. With {@code none} this is
 *       exactly synchronous {@code fit} on the global batch.</li>
 *   <li>{@link #WORKERS}: each worker runs its own updater on its local gradient and sends the
 *       resulting update {@code u_w} (through the memory and the compressor); everyone applies
 *       {@code x <- x - mean_w D(C(e_w))} with no further optimizer. This is DGC's momentum
 *       correction (Lin et al., ICLR 2018, sec. 3.2) generalised to any updater: the optimizer's
 *       non-linearity (Adam's per-coordinate 1/sqrt(v)) sees the dense local gradient, and error
 *       feedback delivers every update it produces. Applying Adam after a sparsifier instead
 *       inflates its second moment on coordinates that arrive in bursts, which shrinks their
 *       steps. Workers' optimizer states differ (each sees its own gradients); a rebuilt
 *       replica restarts its optimizer state from zero, like its residual.</li>
 * </ul>
 */
public enum OptimizerPlacement {
    MASTER,
    WORKERS;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What the workers' messages carry with the optimizer here. */
    public Payload payload() {
        return this == MASTER ? Payload.GRADIENTS : Payload.UPDATES;
    }

    public static OptimizerPlacement of(Payload payload) {
        return payload == Payload.GRADIENTS ? MASTER : WORKERS;
    }
}
