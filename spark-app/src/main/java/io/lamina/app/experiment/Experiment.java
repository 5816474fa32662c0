package io.lamina.app.experiment;

import io.lamina.app.config.TrainSetting;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A loaded and validated experiment file: a base configuration, a grid of values whose cartesian
 * product gives the runs (plus any {@code include:} runs), and the output root that holds one
 * folder per run, {@code experiment.jsonl} and {@code results.md}.
 *
 * @param file        the YAML file
 * @param name        the experiment's name
 * @param description free text (may be empty)
 * @param output      the output root
 * @param base        the base settings by key (as given, coerced to their types)
 * @param grid        each grid key and its values, in file order
 * @param columns     the keys that differ between runs (grid keys, then include keys): the table's columns
 * @param runs        the runs in execution order
 */
public record Experiment(Path file, String name, String description, Path output, Map<String, Object> base,
        Map<String, List<Object>> grid, List<String> columns, List<ExperimentRun> runs) {

    /** The largest worker count over the runs (the default local master's thread count). */
    public int maxWorkers() {
        return runs.stream().mapToInt(r -> r.config().workers()).max().orElse(1);
    }

    /** The same experiment with every run on this Spark master (null: the default local master). */
    public Experiment withMaster(String master) {
        List<ExperimentRun> moved = runs.stream().map(r -> new ExperimentRun(r.index(), r.id(), r.overrides(),
                r.settings(), r.config().with(TrainSetting.MASTER, master))).toList();
        return new Experiment(file, name, description, output, base, grid, columns, moved);
    }
}
