package io.lamina.app.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The networks Lamina ships, selectable by name on the command line. */
public enum ModelKind {
    /** Two hidden dense layers (256, 128), ReLU: a model where Spark's per-job cost dominates. */
    MLP,
    /** LeNet-5 as in DL4J's example (431,080 parameters for 28x28x1 inputs). */
    LENET,
    /** A ResNet-8-like ComputationGraph: stem conv + 3 residual blocks (16/32/64 channels). */
    RESNET;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a CLI name; the error lists what is allowed. */
    public static ModelKind parse(String name) {
        for (ModelKind k : values()) {
            if (k.cliName().equalsIgnoreCase(name.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; allowed: " + allowed());
    }

    public static String allowed() {
        return Arrays.stream(values()).map(ModelKind::cliName).collect(Collectors.joining(", "));
    }
}
