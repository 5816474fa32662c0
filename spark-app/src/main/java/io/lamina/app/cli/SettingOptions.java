package io.lamina.app.cli;

import io.lamina.app.config.TrainSetting;
import java.util.Map;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives a command one {@code --key} option per {@link TrainSetting} it takes, with the table's type,
 * default and help. Picocli runs it on the command's spec after reading the annotations
 * ({@code @Command(modelTransformer = SettingOptions.class)}); parsed values, defaults included,
 * land in the command's {@link Target#settings()} map.
 */
public final class SettingOptions implements IModelTransformer {

    /** A command whose training settings come from the table. */
    public interface Target {
        /** Which settings the command takes: those with this use. */
        TrainSetting.Use use();

        /** Where the parsed values go. */
        Map<TrainSetting, Object> settings();
    }

    @Override
    public CommandSpec transform(CommandSpec spec) {
        Target target = (Target) spec.userObject();
        for (TrainSetting s : TrainSetting.values()) {
            if (s.appliesTo(target.use())) {
                spec.addOption(option(s, target.settings()));
            }
        }
        return spec;
    }

    private static OptionSpec option(TrainSetting s, Map<TrainSetting, Object> into) {
        Object def = s.defaultValue();
        // a null default (data, master) is explained by the help text itself
        String description = s.help() + (def == null ? "" : " (default: ${DEFAULT-VALUE})");
        OptionSpec.Builder b = OptionSpec.builder("--" + s.key());
        if (s.type() == TrainSetting.Type.BOOL) {
            b.arity("0..1").fallbackValue("true"); // a flag: --header, or --header=false
        }
        return b
                .type(s.type().javaType())
                .paramLabel("<" + s.key() + ">")
                .defaultValue(def == null ? null : String.valueOf(def))
                .description(description)
                .getter(new IGetter() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> T get() {
                        return (T) into.get(s);
                    }
                })
                .setter(new ISetter() {
                    @Override
                    public <T> T set(T value) {
                        into.put(s, value);
                        return null;
                    }
                })
                .build();
    }
}
