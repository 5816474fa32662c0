package io.lamina.compression.memory;

import io.lamina.compression.Layout;
import io.lamina.compression.Memory;
import io.lamina.compression.MemorySpec;
import io.lamina.compression.SpecParams;
import java.util.Set;

/**
 * Error feedback (Seide et al., "1-bit SGD", Interspeech 2014; Stich, Cordonnier and Jaggi,
 * "Sparsified SGD with Memory", NeurIPS 2018; Karimireddy et al., "Error Feedback Fixes SignSGD
 * and other Gradient Compression Schemes", ICML 2019). Per segment j, with residual r_j (0 at
 * the start):
 * <pre>
 *   e   = beta * r_j + gamma * g      (compensate)
 *   r_j = e - D(C(e))                 (update)
 * </pre>
 * so nothing is lost: {@code D(C(e)) + r_j(new) = e = beta * r_j(old) + gamma * g} (to float
 * rounding). {@code residual} has beta = gamma = 1 by default. Nothing of it goes on the wire: the
 * residual is one fp32 per element, kept on the worker (lost, safely, when a replica is rebuilt).
 *
 * <p>{@code efsign:lr=<gamma>} is the same memory named for EF-signSGD (Karimireddy et al. 2019):
 * {@code p = lr * g + e; e = p - delta} with {@code delta = D(C(p))} is exactly this rule with
 * beta = 1 and gamma = lr. The engine's optimizer already applies the learning rate to the
 * averaged update, so {@code lr} defaults to 1 (set it only to scale the gradient inside the
 * memory, as the paper's algorithm does when the compressor output is the step itself). That
 * default is where it differs from the paper, whose gamma is the learning rate.
 */
public final class ResidualMemory implements Memory {

    private final float beta;
    private final float gamma;
    private final Layout layout;
    private final float[][] residual;

    private ResidualMemory(float beta, float gamma, Layout layout) {
        this.beta = beta;
        this.gamma = gamma;
        this.layout = layout;
        this.residual = new float[layout.size()][];
    }

    /** Parses {@code residual[:beta=..,gamma=..]}. */
    public static MemorySpec parse(SpecParams p) {
        p.allowOnly(Set.of("beta", "gamma"));
        return new Spec("residual", (float) p.getDouble("beta", false, 1, 0, 1e6),
                (float) p.getDouble("gamma", false, 1, 0, 1e6));
    }

    /** Parses {@code efsign[:lr=..]}: residual with beta = 1, gamma = lr. */
    public static MemorySpec parseEfSign(SpecParams p) {
        p.allowOnly(Set.of("lr"));
        double lr = p.getDouble("lr", true, 1, 0, 1e6);
        if (!(lr > 0)) {
            throw new IllegalArgumentException("spec '" + p.spec() + "': lr = " + lr + " is out of range; allowed: > 0");
        }
        return new Spec("efsign", 1f, (float) lr);
    }

    @Override
    public float[][] state() {
        return Memory.copyOf(residual);
    }

    @Override
    public void restoreState(float[][] state) {
        Memory.copyState(state, residual, layout, "residual memory");
    }

    private float[] state(int segment, int length) {
        if (segment < 0 || segment >= residual.length || layout.get(segment).length() != length) {
            throw new IllegalArgumentException("memory: segment " + segment + " of length " + length
                    + " does not match the layout " + layout);
        }
        if (residual[segment] == null) {
            residual[segment] = new float[length];
        }
        return residual[segment];
    }

    @Override
    public void compensate(int segment, float[] gradient, int offset, int length, float[] out) {
        float[] r = state(segment, length);
        if (beta == 1f && gamma == 1f) {
            for (int i = 0; i < length; i++) {
                out[i] = r[i] + gradient[offset + i];
            }
        } else {
            for (int i = 0; i < length; i++) {
                out[i] = beta * r[i] + gamma * gradient[offset + i];
            }
        }
    }

    @Override
    public void update(int segment, float[] compensated, float[] sent, int length) {
        float[] r = state(segment, length);
        for (int i = 0; i < length; i++) {
            r[i] = compensated[i] - sent[i];
        }
    }

    @Override
    public double residualNormSquared() {
        double s = 0;
        for (float[] r : residual) {
            if (r != null) {
                for (float v : r) {
                    s += (double) v * v;
                }
            }
        }
        return s;
    }

    /** {@code residual:beta=..,gamma=..} or {@code efsign:lr=..}. */
    public record Spec(String name, float beta, float gamma) implements MemorySpec {

        public Spec {
            if (!name.equals("residual") && !name.equals("efsign")) {
                throw new IllegalArgumentException("residual memory name must be residual or efsign, got " + name);
            }
            if (!(beta >= 0) || !(gamma > 0) || Float.isInfinite(beta) || Float.isInfinite(gamma)) {
                throw new IllegalArgumentException(name + ": need finite beta >= 0 and gamma > 0, got beta="
                        + beta + " gamma=" + gamma);
            }
        }

        @Override
        public String spec() {
            return name.equals("efsign") ? "efsign:lr=" + gamma : "residual:beta=" + beta + ",gamma=" + gamma;
        }

        @Override
        public Memory create(Layout segments) {
            return new ResidualMemory(beta, gamma, segments);
        }
    }
}
