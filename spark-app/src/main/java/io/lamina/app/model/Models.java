package io.lamina.app.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the shipped networks. All use softmax + negative log-likelihood and no dropout or batch
 * normalisation, so that data-parallel training is exactly equivalent to single-JVM training
 * with the global batch (the engine's equivalence test relies on it).
 */
public final class Models {

    private Models() {
    }

    /** A freshly initialised network (parameters drawn from {@code seed}). */
    public static Dl4jNet create(ModelKind kind, ModelShape shape, IUpdater updater, long seed) {
        switch (kind) {
            case MLP: {
                MultiLayerNetwork net = new MultiLayerNetwork(mlp(shape, updater, seed));
                net.init();
                return new Dl4jNet(net);
            }
            case LENET: {
                MultiLayerNetwork net = new MultiLayerNetwork(lenet(shape, updater, seed));
                net.init();
                return new Dl4jNet(net);
            }
            case RESNET: {
                ComputationGraph net = new ComputationGraph(resnet(shape, updater, seed));
                net.init();
                return new Dl4jNet(net);
            }
            default:
                throw new IllegalArgumentException("unknown model " + kind);
        }
    }

    static MultiLayerConfiguration mlp(ModelShape s, IUpdater updater, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .list()
                .layer(new DenseLayer.Builder().nIn(s.featureSize()).nOut(256).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
                        .nOut(s.numClasses()).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(s.featureSize()))
                .build();
    }

    /** LeNet-5 as in DL4J's example: conv5x5x20, maxpool, conv5x5x50, maxpool, dense 500, softmax. */
    static MultiLayerConfiguration lenet(ModelShape s, IUpdater updater, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nIn(s.channels()).stride(1, 1).nOut(20)
                        .activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).stride(1, 1).nOut(50).activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().activation(Activation.RELU).nOut(500).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
                        .nOut(s.numClasses()).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(s.height(), s.width(), s.channels()))
                .build();
    }

    /**
     * ResNet-8 for small images: a 3x3 stem (16 channels), three residual blocks of two 3x3
     * convolutions (16, 32 and 64 channels; the last two halve the resolution, their shortcut is a
     * strided 1x1 convolution), global average pooling, softmax. 8 weight layers besides shortcuts.
     */
    static ComputationGraphConfiguration resnet(ModelShape s, IUpdater updater, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.RELU)
                .updater(updater)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutionalFlat(s.height(), s.width(), s.channels()))
                .addLayer("stem", conv(3, 1, 16, Activation.RELU), "in");
        String prev = "stem";
        int[][] blocks = {{16, 1}, {32, 2}, {64, 2}};
        for (int b = 0; b < blocks.length; b++) {
            int ch = blocks[b][0];
            int stride = blocks[b][1];
            String p = "b" + (b + 1);
            g.addLayer(p + "_conv1", conv(3, stride, ch, Activation.RELU), prev)
                    .addLayer(p + "_conv2", conv(3, 1, ch, Activation.IDENTITY), p + "_conv1");
            String shortcut = prev;
            if (stride != 1 || b > 0) {
                g.addLayer(p + "_proj", conv(1, stride, ch, Activation.IDENTITY), prev);
                shortcut = p + "_proj";
            }
            g.addVertex(p + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), p + "_conv2", shortcut)
                    .addLayer(p + "_out", new ActivationLayer.Builder().activation(Activation.RELU).build(), p + "_add");
            prev = p + "_out";
        }
        return g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), prev)
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
                        .nOut(s.numClasses()).activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("output")
                .build();
    }

    private static ConvolutionLayer conv(int kernel, int stride, int out, Activation act) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(out).activation(act).build();
    }
}
