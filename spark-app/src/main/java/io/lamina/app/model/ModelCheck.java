package io.lamina.app.model;

import io.lamina.compression.method.OptimizerTraits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * Checks a user's network against the data before training: one input fed as a flat row of
 * {@code channels x height x width} values, and an output of one value per class. Also tells what
 * in a network breaks Lamina's exact equivalence with single-JVM training (dropout, weight noise,
 * batch normalisation), and what its optimizer does, for the memory compatibility rules.
 */
public final class ModelCheck {

    private ModelCheck() {
    }

    /**
     * @throws IllegalArgumentException naming the model's and the data's sizes when they do not match
     */
    public static void checkAgainst(Dl4jNet net, ModelShape data) {
        Model model = net.model();
        if (model instanceof ComputationGraph cg) {
            ComputationGraphConfiguration conf = cg.getConfiguration();
            if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
                throw new IllegalArgumentException("the model has " + conf.getNetworkInputs().size() + " inputs and "
                        + conf.getNetworkOutputs().size() + " outputs; Lamina trains networks with one input (the "
                        + "examples' " + data.featureSize() + " values) and one output (" + data.numClasses()
                        + " classes)");
            }
            String input = conf.getNetworkInputs().get(0);
            conf.getVertexInputs().forEach((name, inputs) -> {
                GraphVertex v = conf.getVertices().get(name);
                if (inputs.contains(input) && v instanceof LayerVertex lv) {
                    checkInput(lv.getLayerConf().getLayer(), lv.getPreProcessor(), data);
                }
            });
        } else {
            MultiLayerConfiguration conf = ((MultiLayerNetwork) model).getLayerWiseConfigurations();
            checkInput(conf.getConf(0).getLayer(), conf.getInputPreProcess(0), data);
        }
        checkOutput(net, data);
    }

    private static void checkInput(Layer first, InputPreProcessor pre, ModelShape data) {
        if (pre instanceof FeedForwardToCnnPreProcessor p) {
            long size = p.getNumChannels() * p.getInputHeight() * p.getInputWidth();
            String model = p.getNumChannels() + "x" + p.getInputHeight() + "x" + p.getInputWidth();
            boolean flatData = data.channels() == 1 && data.height() == 1; // a feature vector: only its size counts
            boolean sameImage = p.getNumChannels() == data.channels() && p.getInputHeight() == data.height()
                    && p.getInputWidth() == data.width();
            if (size != data.featureSize() || !flatData && !sameImage) {
                throw new IllegalArgumentException("the model takes " + model + " images (" + size
                        + " values), the data has " + describe(data));
            }
        } else if (pre == null && (first instanceof ConvolutionLayer || first instanceof SubsamplingLayer)) {
            throw new IllegalArgumentException("the model's first layer (" + first.getClass().getSimpleName()
                    + ") takes 4-d image arrays, but Lamina feeds each example as one flat row of " + data.featureSize()
                    + " values; build the configuration with setInputType(InputType.convolutionalFlat("
                    + data.height() + ", " + data.width() + ", " + data.channels() + "))");
        } else if (pre == null && first instanceof FeedForwardLayer ff && ff.getNIn() != data.featureSize()) {
            throw new IllegalArgumentException("the model's first layer takes " + ff.getNIn()
                    + " input values (nIn), the data has " + describe(data));
        }
    }

    /** A forward pass on one zero example: catches what the configuration alone does not say. */
    private static void checkOutput(Dl4jNet net, ModelShape data) {
        float[] out;
        try {
            out = net.output(new float[data.featureSize()], 1);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the model does not accept examples of the data's shape ("
                    + describe(data) + "): " + e.getMessage(), e);
        }
        if (out.length != data.numClasses()) {
            throw new IllegalArgumentException("the model's output layer has " + out.length
                    + " outputs (nOut), the data has " + data.numClasses() + " classes");
        }
    }

    private static String describe(ModelShape s) {
        return s.channels() == 1 && s.height() == 1 ? s.featureSize() + " values per example"
                : s.channels() + "x" + s.height() + "x" + s.width() + " images (" + s.featureSize() + " values)";
    }

    /** Layers that draw random numbers in training (dropout, weight noise), by name. */
    public static List<String> randomLayers(Model model) {
        List<String> out = new ArrayList<>();
        layers(model).forEach((name, l) -> {
            if (l instanceof DropoutLayer || l.getIDropout() != null
                    || l instanceof BaseLayer b && b.getWeightNoise() != null) {
                out.add(name);
            }
        });
        return out;
    }

    /** Batch-normalisation layers, by name. */
    public static List<String> batchNormLayers(Model model) {
        List<String> out = new ArrayList<>();
        layers(model).forEach((name, l) -> {
            if (l instanceof BatchNormalization) {
                out.add(name);
            }
        });
        return out;
    }

    /**
     * What a network's dropout or batch normalisation means for data-parallel training, one
     * sentence each; empty when training is exactly equivalent to single-JVM training.
     */
    public static List<String> equivalenceNotes(Model model) {
        List<String> notes = new ArrayList<>();
        List<String> random = randomLayers(model);
        if (!random.isEmpty()) {
            notes.add("layers " + random + " use dropout or weight noise: each worker draws its masks from ND4J's "
                    + "generator seeded by (seed, step, partition), so a rerun gives the same bits and the replicas "
                    + "stay identical (they apply the same downlink), but the masks differ from those of single-JVM "
                    + "training on the global batch, which is therefore not reproduced exactly");
        }
        List<String> bn = batchNormLayers(model);
        if (!bn.isEmpty()) {
            notes.add("layers " + bn + " use batch normalisation: each worker normalises with the statistics of its "
                    + "own batch, not the global one, and the running mean and variance are averaged over the "
                    + "workers like any other update (passing through the compressor); replicas stay identical, "
                    + "but training differs from single-JVM training on the global batch");
        }
        return notes;
    }

    /** What the network's own updaters do, as the memory rules see it. */
    public static OptimizerTraits optimizerTraits(Model model) {
        Set<String> names = new LinkedHashSet<>();
        boolean momentum = false;
        boolean constant = true;
        for (Layer l : layers(model).values()) {
            if (!(l instanceof BaseLayer b) || b.getIUpdater() == null) {
                continue;
            }
            IUpdater u = b.getIUpdater();
            names.add(u.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
            momentum |= u instanceof Adam || u instanceof AdaMax || u instanceof Nadam || u instanceof AMSGrad
                    || u instanceof Nesterovs n && n.getMomentum() > 0;
            constant &= constantRate(u);
        }
        return new OptimizerTraits(names.isEmpty() ? "none" : String.join("+", names), momentum, constant);
    }

    /** The learning rate at a spread of iterations and epochs is one value (no schedule, no warm-up). */
    private static boolean constantRate(IUpdater u) {
        if (!u.hasLearningRate()) {
            return true;
        }
        double first = u.getLearningRate(0, 0);
        for (int i = 1; i <= 1_000_000; i *= 10) {
            if (u.getLearningRate(i, i / 100) != first) {
                return false;
            }
        }
        return true;
    }

    /** The network's layer configurations by name (a MultiLayerNetwork's unnamed ones by index). */
    private static Map<String, Layer> layers(Model model) {
        Map<String, Layer> out = new LinkedHashMap<>();
        if (model instanceof ComputationGraph cg) {
            cg.getConfiguration().getVertices().forEach((name, v) -> {
                if (v instanceof LayerVertex lv) {
                    out.put(name, lv.getLayerConf().getLayer());
                }
            });
        } else {
            var confs = ((MultiLayerNetwork) model).getLayerWiseConfigurations().getConfs();
            for (int i = 0; i < confs.size(); i++) {
                Layer l = confs.get(i).getLayer();
                out.put(l.getLayerName() != null ? l.getLayerName() : "layer " + i, l);
            }
        }
        return out;
    }
}
