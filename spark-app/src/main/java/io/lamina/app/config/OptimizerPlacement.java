package io.lamina.app.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a run's optimizer (DL4J's updater: Adam, Nesterov, ...) is applied.
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

    public static String allowed() {
        return Arrays.stream(values()).map(OptimizerPlacement::cliName).collect(Collectors.joining(", "));
    }

    /** @throws IllegalArgumentException naming the allowed values */
    public static OptimizerPlacement parse(String name) {
        for (OptimizerPlacement p : values()) {
            if (p.cliName().equals(name == null ? null : name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown --optimizer-on '" + name + "'; allowed: " + allowed());
    }
}
