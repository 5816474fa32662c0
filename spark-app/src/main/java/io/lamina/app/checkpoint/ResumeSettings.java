package io.lamina.app.checkpoint;

import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The configuration a checkpoint keeps, and what a resumed run may change: its length, how often
 * it evaluates, measures, checks and checkpoints, and where Spark runs. Everything else (model,
 * data, workers, batch, optimizer, compressor, memory, granularity, seed, ...) is the
 * checkpoint's: a different value is refused, since the run could not continue exactly.
 */
public final class ResumeSettings {

    /** What {@code lamina train --resume} may set anew. */
    public static final Set<TrainSetting> CHANGEABLE = Set.of(TrainSetting.STEPS, TrainSetting.EPOCHS,
            TrainSetting.EVAL_EVERY, TrainSetting.THEORY_EVERY, TrainSetting.CHECKSUM_EVERY,
            TrainSetting.CHECKPOINT_EVERY, TrainSetting.KEEP_CHECKPOINTS, TrainSetting.MASTER,
            TrainSetting.PROGRESS_SECONDS, TrainSetting.OUTPUT);

    private ResumeSettings() {
    }

    /** The configuration as the command line would give it: key to value, null values left out. */
    public static Map<String, String> of(TrainConfig c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (TrainSetting s : TrainSetting.values()) {
            Object v = c.get(s);
            if (v != null && s.appliesTo(TrainSetting.Use.TRAIN_CLI)) {
                out.put(s.key(), TrainSetting.display(v));
            }
        }
        return out;
    }

    /**
     * The configuration to continue with: the checkpoint's, with {@code changes} (only
     * {@link #CHANGEABLE} settings may differ). A new {@code --epochs} without {@code --steps}
     * sets the length in epochs.
     *
     * @throws CheckpointException naming a setting that may not change
     */
    public static TrainConfig resume(Map<String, String> saved, Map<TrainSetting, Object> changes) {
        Map<TrainSetting, Object> values = new EnumMap<>(TrainSetting.class);
        saved.forEach((key, raw) -> {
            TrainSetting s = TrainSetting.byKey(key, TrainSetting.Use.TRAIN_CLI);
            if (s == null) {
                throw new CheckpointException("the checkpoint's setting '" + key + "' is not one this Lamina knows");
            }
            values.put(s, s.coerce(raw));
        });
        TrainConfig base = TrainConfig.defaults().with(values);
        for (Map.Entry<TrainSetting, Object> e : changes.entrySet()) {
            TrainSetting s = e.getKey();
            Object was = base.get(s);
            if (!CHANGEABLE.contains(s) && !java.util.Objects.equals(was, e.getValue())) {
                throw new CheckpointException("--" + s.key() + " " + TrainSetting.display(e.getValue())
                        + " differs from the checkpoint's " + TrainSetting.display(was)
                        + "; a resumed run keeps its configuration (it may change: " + changeableKeys() + ")");
            }
        }
        Map<TrainSetting, Object> apply = new EnumMap<>(changes);
        if (changes.containsKey(TrainSetting.EPOCHS) && !changes.containsKey(TrainSetting.STEPS)) {
            apply.put(TrainSetting.STEPS, 0L);
        }
        return base.with(apply).validate();
    }

    private static String changeableKeys() {
        return CHANGEABLE.stream().map(s -> "--" + s.key()).sorted().reduce((a, b) -> a + ", " + b).orElse("");
    }
}
