package io.lamina.app.cli;

import io.lamina.app.TrainingJob;
import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.data.DataSource;
import io.lamina.app.engine.driver.RunModel;
import io.lamina.app.engine.driver.TrainingDivergedException;
import io.lamina.app.spark.SparkStartException;
import io.lamina.app.model.ModelSource;
import io.lamina.datasets.DatasetException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code lamina train}: one training run with defaults that run (LeNet on the embedded data). Its
 * options are the {@link TrainSetting} table's ({@link SettingOptions} adds them).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model data-parallel on Spark and write metrics.jsonl, summary.json and model.zip.",
        modelTransformer = SettingOptions.class)
public final class TrainCommand implements Callable<Integer>, SettingOptions.Target {

    private final Map<TrainSetting, Object> settings = new EnumMap<>(TrainSetting.class);

    @picocli.CommandLine.Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR (local or Hadoop URI) from its newest checkpoint, with its "
                    + "configuration; --steps/--epochs give a new length")
    private String resume;

    @Override
    public TrainSetting.Use use() {
        return TrainSetting.Use.TRAIN_CLI;
    }

    @Override
    public Map<TrainSetting, Object> settings() {
        return settings;
    }

    /** The validated configuration; throws IllegalArgumentException naming what is wrong and what is allowed. */
    TrainConfig toConfig() {
        return TrainConfig.defaults().with(settings).validate();
    }

    @Override
    public Integer call() throws Exception {
        TrainConfig config;
        DataSource source;
        ModelSource model;
        io.lamina.app.engine.protocol.Checkpoint checkpoint = null;
        try {
            if (resume != null) {
                checkpoint = new io.lamina.app.checkpoint.CheckpointStore(resume,
                        new org.apache.hadoop.conf.Configuration(), 1).latest();
                Map<TrainSetting, Object> changes = new EnumMap<>(settings);
                changes.put(TrainSetting.OUTPUT, resume);
                config = io.lamina.app.checkpoint.ResumeSettings.resume(checkpoint.settings(), changes);
            } else {
                config = toConfig();
            }
            model = RunModel.source(config); // a bad model file fails before the data is read
            source = TrainingJob.source(config);
            TrainingJob.check(config, source); // files, headers, first lines: before Spark starts
        } catch (IllegalArgumentException | DatasetException | java.io.IOException e) {
            System.err.println("lamina train: " + e.getMessage());
            return LaminaCli.EXIT_BAD_INPUT;
        }
        try {
            TrainingJob.run(config, source, model, null, System.out, checkpoint);
            return 0;
        } catch (DatasetException e) { // found by the pass over the data or while the blocks were read
            System.err.println("lamina train: " + e.getMessage());
            return LaminaCli.EXIT_BAD_INPUT;
        } catch (TrainingDivergedException e) {
            System.err.println("lamina train: stopped: " + e.getMessage() + "; model.zip holds it, see "
                    + config.output() + "/summary.json");
            return LaminaCli.EXIT_DIVERGED;
        } catch (SparkStartException e) {
            System.err.println("lamina train: " + e.getMessage());
            return LaminaCli.EXIT_SPARK_REFUSED;
        }
    }
}
