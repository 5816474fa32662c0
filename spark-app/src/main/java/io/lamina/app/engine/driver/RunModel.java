package io.lamina.app.engine.driver;

import io.lamina.app.config.TrainConfig;
import io.lamina.app.model.Dl4jNet;
import io.lamina.app.model.ModelCheck;
import io.lamina.app.model.ModelFiles;
import io.lamina.app.model.ModelShape;
import io.lamina.app.model.ModelSource;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network a run trains: from a {@link ModelSource}, and for a user's model checked against
 * the data's shape and against the memory's rules with the model's own optimizer. What the model's
 * dropout or batch normalisation means for the equivalence guarantees goes to the log.
 */
public final class RunModel {

    private static final Logger LOG = LoggerFactory.getLogger(RunModel.class);

    private RunModel() {
    }

    /**
     * The source a configuration names: the built-in model, or {@code --model-file} (read now).
     *
     * @throws io.lamina.app.model.ModelFileException naming the file, if it cannot be used
     * @throws IllegalArgumentException if the configuration names a model object of the Java API,
     *         which only the API itself holds
     */
    public static ModelSource source(TrainConfig config) {
        String file = config.modelFile();
        if (file == null) {
            return ModelSource.builtIn(config.model());
        }
        if (file.startsWith(TrainConfig.API_MODEL)) {
            throw new IllegalArgumentException("model-file '" + file + "' stands for a model object given to the Java "
                    + "API; pass that object (Trainer.model(...)) or a file");
        }
        return ModelFiles.load(Path.of(file));
    }

    /**
     * The run's network for data of {@code shape}.
     *
     * @throws IllegalArgumentException if a user's model does not fit the data or the memory
     */
    public static Dl4jNet create(TrainConfig config, ModelSource source, ModelShape shape, long totalSteps) {
        Dl4jNet net = source.create(shape, () -> config.optimizer().toUpdater(totalSteps), config.seed());
        if (!source.isBuiltIn()) {
            try {
                ModelCheck.checkAgainst(net, shape);
                config.checkOptimizer(ModelCheck.optimizerTraits(net.model()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source.describe() + ": " + e.getMessage(), e);
            }
            for (String note : ModelCheck.equivalenceNotes(net.model())) {
                LOG.warn("{}: {}", source.describe(), note);
            }
        }
        return net;
    }

    /** {@link #create} for its checks alone, before Spark starts. */
    public static void check(TrainConfig config, ModelSource source, ModelShape shape) {
        create(config, source, shape, Math.max(1, config.steps()));
    }
}
