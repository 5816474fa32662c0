package io.lamina.app.experiment;

import io.lamina.app.config.TrainConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * One run of an experiment: the values that make it different from the base ({@code overrides},
 * which also name its folder), all its settings (base + overrides) and the validated
 * configuration, whose {@code output} is the run's folder under the experiment's output root.
 *
 * @param index    0-based position in the experiment (runs execute in this order)
 * @param id       folder name, e.g. {@code compressor=topk_0.01,granularity=model}
 * @param overrides the grid values of this run in grid order (or an include entry, in table order, see {@link io.lamina.app.config.TrainSetting})
 * @param settings base and overrides together, by key
 * @param config   the validated configuration
 */
public record ExperimentRun(int index, String id, Map<String, Object> overrides, Map<String, Object> settings,
        TrainConfig config) {

    /** The run's output folder. */
    public Path outputDir() {
        return Path.of(config.output());
    }
}
