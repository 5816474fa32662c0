/**
 * What a training run is configured with, and nothing else: {@link io.lamina.app.config.TrainSetting}
 * (the one table of settings: names, types, defaults, allowed values, help, where each applies),
 * the immutable {@link io.lamina.app.config.TrainConfig} built from it, and the value types it holds
 * ({@link io.lamina.app.config.OptimizerSpec}, {@link io.lamina.app.config.OptimizerOn} as asked and
 * {@link io.lamina.app.config.ResolvedPlacement}/{@link io.lamina.app.config.OptimizerPlacement} as resolved).
 *
 * <p>The CLI, the experiment files, the Java API and {@code summary.json} read this package; the
 * engine consumes {@code TrainConfig}. This package may depend only on {@code io.lamina.app.model}
 * (model names), the {@code compression} module (to parse compressor, memory and granularity specs)
 * and DL4J/ND4J (the optimizer's updater); never on {@code engine}, {@code cli}, {@code experiment}
 * or {@code api}.
 */
package io.lamina.app.config;
