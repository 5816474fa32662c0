package io.lamina.app.model;

import java.util.Objects;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Where a run's network comes from: one of the built-in models (built for the data's shape with
 * Lamina's optimizer settings), or the user's own network or configuration ({@code --model-file},
 * the Java API, DL4J's Spark API), which keeps its own updater, weights and updater state.
 *
 * <p>A user's network is copied when the source is made and again for each run, so neither the
 * caller's object nor an earlier run is changed by training.
 */
public final class ModelSource {

    private final ModelKind kind;
    private final Dl4jNet template;
    private final String description;

    private ModelSource(ModelKind kind, Dl4jNet template, String description) {
        this.kind = kind;
        this.template = template;
        this.description = description;
    }

    /** A built-in model. */
    public static ModelSource builtIn(ModelKind kind) {
        return new ModelSource(Objects.requireNonNull(kind, "kind"), null, "built-in " + kind.cliName());
    }

    /** A new network from this configuration (its weights drawn from the configuration's seed). */
    public static ModelSource of(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(Objects.requireNonNull(conf, "configuration").clone());
        net.init();
        return of(net, "a MultiLayerConfiguration");
    }

    /** A new network from this configuration (its weights drawn from the configuration's seed). */
    public static ModelSource of(ComputationGraphConfiguration conf) {
        ComputationGraph net = new ComputationGraph(Objects.requireNonNull(conf, "configuration").clone());
        net.init();
        return of(net, "a ComputationGraphConfiguration");
    }

    /** This network as it is now: its weights, updater state and iteration count (copied). */
    public static ModelSource of(Model network) {
        return of(network, "a " + Objects.requireNonNull(network, "network").getClass().getSimpleName());
    }

    static ModelSource of(Model network, String description) {
        return new ModelSource(null, new Dl4jNet(network).copy(), description);
    }

    public boolean isBuiltIn() {
        return kind != null;
    }

    /** For messages and the summary: {@code built-in lenet}, {@code network /x/model.zip (resumed at ...)}. */
    public String describe() {
        return description;
    }

    /**
     * The run's network: a built-in one for data of {@code shape} with {@code updater} and weights
     * from {@code seed}; or a copy of the user's (neither argument applies: it has its own).
     */
    public Dl4jNet create(ModelShape shape, Supplier<IUpdater> updater, long seed) {
        return isBuiltIn() ? Models.create(kind, shape, updater.get(), seed) : template.copy();
    }

    @Override
    public String toString() {
        return description;
    }
}
