package io.lamina.compression.simd;

/**
 * Whether the codecs run their {@link VectorKernels} and {@link QuantKernels} (JDK's incubating
 * Vector API) or their scalar loops. Decided once per JVM, when this class initialises:
 * <ul>
 *   <li>the module {@code jdk.incubator.vector} must be in the boot layer, i.e. the JVM was
 *       started with {@code --add-modules=jdk.incubator.vector} (Lamina's scripts, its
 *       {@code conf/spark-defaults.conf} and its test runs pass it);</li>
 *   <li>the CPU must have 256-bit float vectors (AVX2 on x86): the kernels work on eight lanes,
 *       and narrower hardware would run them through the API's slow Java fallback;</li>
 *   <li>{@code -Dlamina.simd=false} turns them off (to compare, or to rule them out).</li>
 * </ul>
 * Both paths give the same bits for every input (the kernels' tests compare them), so a cluster
 * whose JVMs disagree still trains identically; only the speed differs. The flag is a
 * {@code static final}, so C2 folds the choice away.
 */
public final class Simd {

    /** System property that turns the vector kernels off when set to {@code false}. */
    public static final String PROPERTY = "lamina.simd";

    /** The JVM option that makes the vector kernels available. */
    public static final String JVM_OPTION = "--add-modules=jdk.incubator.vector";

    /** True if the encoders use {@link VectorKernels} in this JVM. */
    public static final boolean ENABLED;

    private static final String WHY;

    static {
        String why;
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"))) {
            why = "scalar (-D" + PROPERTY + "=false)";
        } else if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            why = "scalar (start the JVM with " + JVM_OPTION + " for the vectorised encoders)";
        } else if (!VectorKernels.hardwareSupported()) { // loaded only once the module is known present
            why = "scalar (this CPU has no 256-bit float vectors)";
        } else {
            why = null;
        }
        ENABLED = why == null;
        WHY = ENABLED ? "vector (jdk.incubator.vector, 8 float lanes)" : why;
    }

    private Simd() {
    }

    /** One line for logs: which path the encoders take here, and why. */
    public static String describe() {
        return WHY;
    }
}
