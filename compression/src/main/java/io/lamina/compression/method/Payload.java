package io.lamina.compression.method;

/**
 * What the workers' messages carry, which depends on where the run's optimizer is applied: the
 * library cannot see the application's setting, so the application says which of these it means.
 */
public enum Payload {
    /** Gradients: the optimizer runs once, on the averaged gradient (the optimizer on the master). */
    GRADIENTS("master"),
    /** The optimizer's updates: each worker runs it before compressing (the optimizer on the workers). */
    UPDATES("workers");

    private final String placement;

    Payload(String placement) {
        this.placement = placement;
    }

    /** Where the optimizer runs for this payload, as the CLI says it: {@code master} or {@code workers}. */
    public String placement() {
        return placement;
    }
}
