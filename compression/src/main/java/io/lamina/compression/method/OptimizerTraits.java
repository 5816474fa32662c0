package io.lamina.compression.method;

/**
 * What the run's optimizer does, as far as a memory cares ({@link Compatibility#checkOptimizer}).
 *
 * @param name         its name, for messages ({@code adam})
 * @param momentum     whether it keeps a momentum of its own (nesterov, adam)
 * @param constantStep whether its step size is the same at every step (no schedule, no warm-up)
 */
public record OptimizerTraits(String name, boolean momentum, boolean constantStep) {
}
