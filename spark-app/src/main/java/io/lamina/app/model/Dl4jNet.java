package io.lamina.app.model;

import io.lamina.compression.Layout;
import io.lamina.compression.Segment;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One DL4J network ({@link MultiLayerNetwork} or {@link ComputationGraph}) seen as the engine
 * needs it: a flat parameter vector with a {@link Layout} of named tensors, a flat gradient
 * computed on a minibatch, and an update step that runs DL4J's own updater on a given (averaged)
 * gradient exactly as {@code fit} would: the updater divides by the minibatch size, applies the
 * {@code IUpdater} (SGD, Nesterov, Adam, ...) and its schedule, then {@code params -= update}.
 *
 * <p>Every replica and the driver's master copy run {@link #applyGradient} on the same input, so
 * they stay bit-identical. Not thread-safe.
 */
public final class Dl4jNet {

    private final Model model;
    private final boolean graph;
    private final Layout tensors;
    /** Whether a forward pass draws random numbers (dropout, weight noise): see {@link #seedRandomness}. */
    private final boolean stochastic;
    private INDArray featureBuf;
    private INDArray labelBuf;

    public Dl4jNet(Model model) {
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            throw new IllegalArgumentException("only MultiLayerNetwork and ComputationGraph are supported, got "
                    + model.getClass().getName());
        }
        this.model = model;
        this.graph = model instanceof ComputationGraph;
        this.tensors = layoutOf(model);
        this.stochastic = !ModelCheck.randomLayers(model).isEmpty();
    }

    /** An independent network with the same configuration, parameters, updater state and counters. */
    public Dl4jNet copy() {
        Dl4jNet c = fromJson(configJson(), graph, params());
        c.setUpdaterState(updaterState());
        c.setIteration(iteration());
        c.setEpoch(epoch());
        return c;
    }

    /**
     * Seeds the random numbers of the next forward pass. DL4J draws dropout masks and weight noise
     * from ND4J's per-thread generator, seeded only when a network is initialised, so on a Spark
     * executor they would depend on which thread ran which task before; a seed derived from
     * (seed, step, partition) makes every task's masks the same on any rerun. No-op for a network
     * without such layers (the built-in ones), whose training draws no random numbers.
     */
    public void seedRandomness(long seed) {
        if (stochastic) {
            Nd4j.getRandom().setSeed(seed);
        }
    }

    /** A new network from a configuration JSON, initialised with the given flat parameters. */
    public static Dl4jNet fromJson(String configJson, boolean graph, float[] params) {
        INDArray p = Nd4j.createFromArray(params).reshape(1, params.length);
        if (graph) {
            ComputationGraph cg = new ComputationGraph(ComputationGraphConfiguration.fromJson(configJson));
            cg.init(p, false);
            return new Dl4jNet(cg);
        }
        MultiLayerNetwork mln = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configJson));
        mln.init(p, false);
        return new Dl4jNet(mln);
    }

    /** Loads a {@code ModelSerializer} zip (either kind). */
    public static Dl4jNet load(File file) throws IOException {
        try {
            return new Dl4jNet(ModelSerializer.restoreMultiLayerNetwork(file, true));
        } catch (Exception notMln) {
            return new Dl4jNet(ModelSerializer.restoreComputationGraph(file, true));
        }
    }

    private static Layout layoutOf(Model model) {
        INDArray flat = model.params();
        long base = flat.offset();
        List<Segment> segments = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : model.paramTable().entrySet()) {
            INDArray v = e.getValue();
            long[] shape = v.shape();
            int[] ishape = new int[shape.length];
            // The layout describes the flat data row-major; a column-major ('f') tensor, as DL4J's
            // dense weights are, is read row-major with its shape reversed (i.e. as W^T).
            boolean reverse = v.ordering() == 'f' && shape.length > 1;
            for (int i = 0; i < shape.length; i++) {
                ishape[i] = (int) shape[reverse ? shape.length - 1 - i : i];
            }
            segments.add(new Segment(e.getKey(), (int) (v.offset() - base), (int) v.length(), ishape));
        }
        segments.sort(Comparator.comparingInt(Segment::offset));
        return Layout.of(segments);
    }

    public Model model() {
        return model;
    }

    public boolean isGraph() {
        return graph;
    }

    /** The network's parameter tensors in flat-vector order (DL4J names: {@code 0_W}, {@code 0_b}, ...). */
    public Layout tensorLayout() {
        return tensors;
    }

    public int numParams() {
        return tensors.totalLength();
    }

    public String configJson() {
        return graph ? ((ComputationGraph) model).getConfiguration().toJson()
                : ((MultiLayerNetwork) model).getLayerWiseConfigurations().toJson();
    }

    /**
     * Forward and backward pass on a minibatch given as flat row-major arrays. Leaves the summed
     * (not yet divided by the batch size) gradient in the network's gradient view, as DL4J does.
     *
     * @return the mean loss over the minibatch
     */
    public double computeGradient(float[] features, float[] labelsOneHot, int batchSize) {
        int featureSize = features.length / batchSize;
        int classes = labelsOneHot.length / batchSize;
        if (featureBuf == null || featureBuf.size(0) != batchSize) {
            featureBuf = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, batchSize, featureSize);
            labelBuf = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, batchSize, classes);
        }
        featureBuf.data().setData(features);
        labelBuf.data().setData(labelsOneHot);
        if (graph) {
            ComputationGraph cg = (ComputationGraph) model;
            cg.setInputs(featureBuf);
            cg.setLabels(labelBuf);
            cg.computeGradientAndScore();
        } else {
            MultiLayerNetwork mln = (MultiLayerNetwork) model;
            mln.setInput(featureBuf);
            mln.setLabels(labelBuf);
            mln.computeGradientAndScore();
        }
        return model.score();
    }

    /** Copies the current gradient view into {@code dst} (length {@link #numParams()}). */
    public void copyGradient(float[] dst) {
        copyOut(model.getGradientsViewArray(), dst);
    }

    /**
     * Applies one optimizer step from a gradient averaged over workers, each of which summed over
     * {@code batchSizePerWorker} examples: exactly what DL4J's {@code fit} does with its own gradient.
     */
    public void applyGradient(float[] averagedGradient, int batchSizePerWorker, int epoch) {
        INDArray view = model.getGradientsViewArray();
        copyIn(averagedGradient, view);
        runUpdater(view, batchSizePerWorker, epoch);
        subtractAndAdvance(view);
    }

    /**
     * Turns the gradient left by {@link #computeGradient} into this network's optimizer step
     * (DL4J's updater, with its state and schedule advanced) and copies it into {@code dst},
     * without changing the parameters: the update a worker sends when the optimizer runs on
     * the workers.
     */
    public void computeUpdate(float[] dst, int batchSize, int epoch) {
        INDArray view = model.getGradientsViewArray();
        runUpdater(view, batchSize, epoch);
        copyOut(view, dst);
    }

    /** params -= update, as one optimizer step (the iteration count advances, constraints apply). */
    public void applyUpdate(float[] update) {
        INDArray view = model.getGradientsViewArray();
        copyIn(update, view);
        subtractAndAdvance(view);
    }

    /** DL4J's updater turns the gradient in {@code view} into the update, in place (divides by the batch). */
    private void runUpdater(INDArray view, int batchSize, int epoch) {
        setEpoch(epoch);
        BaseMultiLayerUpdater<?> updater = graph ? ((ComputationGraph) model).getUpdater()
                : (BaseMultiLayerUpdater<?>) ((MultiLayerNetwork) model).getUpdater();
        updater.update(new DefaultGradient(view), BaseOptimizer.getIterationCount(model), epoch, batchSize,
                LayerWorkspaceMgr.noWorkspaces());
    }

    /** params -= view, then what {@code fit} does after a step: iteration count, constraints. */
    private void subtractAndAdvance(INDArray view) {
        INDArray params = model.params();
        params.subi(view.reshape(params.shape()));
        BaseOptimizer.incrementIterationCount(model, 1);
        BaseOptimizer.applyConstraints(model);
    }

    public float[] params() {
        float[] out = new float[numParams()];
        copyOut(model.params(), out);
        return out;
    }

    public void setParams(float[] params) {
        copyIn(params, model.params());
    }

    /** The updater's state (Adam's moments, momentum, ...), or an empty array for plain SGD. */
    public float[] updaterState() {
        INDArray state = updaterStateView();
        if (state == null) {
            return new float[0];
        }
        float[] out = new float[(int) state.length()];
        copyOut(state, out);
        return out;
    }

    public void setUpdaterState(float[] state) {
        INDArray view = updaterStateView();
        if (view == null) {
            if (state.length != 0) {
                throw new IllegalStateException("network has no updater state, got " + state.length + " values");
            }
            return;
        }
        if (view.length() != state.length) {
            throw new IllegalStateException("updater state has " + view.length() + " values, got " + state.length);
        }
        copyIn(state, view);
    }

    INDArray updaterStateView() {
        return graph ? ((ComputationGraph) model).getUpdater().getStateViewArray()
                : ((MultiLayerNetwork) model).getUpdater().getStateViewArray();
    }

    public int iteration() {
        return BaseOptimizer.getIterationCount(model);
    }

    public int epoch() {
        return BaseOptimizer.getEpochCount(model);
    }

    public void setIteration(int iteration) {
        if (graph) {
            ((ComputationGraph) model).getConfiguration().setIterationCount(iteration);
        } else {
            ((MultiLayerNetwork) model).getLayerWiseConfigurations().setIterationCount(iteration);
        }
    }

    public void setEpoch(int epoch) {
        if (graph) {
            ((ComputationGraph) model).getConfiguration().setEpochCount(epoch);
        } else {
            ((MultiLayerNetwork) model).getLayerWiseConfigurations().setEpochCount(epoch);
        }
    }

    /** Class probabilities for a batch of flat features, as a row-major [batch x classes] array. */
    public float[] output(float[] features, int batchSize) {
        INDArray in = Nd4j.createFromArray(features).reshape(batchSize, features.length / batchSize);
        INDArray out = graph ? ((ComputationGraph) model).outputSingle(false, in)
                : ((MultiLayerNetwork) model).output(in, false);
        return out.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    }

    /** Writes a plain DL4J {@code ModelSerializer} zip with the updater state. */
    public void save(File file) throws IOException {
        ModelSerializer.writeModel(model, file, true);
    }

    /** The same zip to a stream (left open). */
    public void save(java.io.OutputStream out) throws IOException {
        ModelSerializer.writeModel(model, out, true);
    }

    private static void copyOut(INDArray src, float[] dst) {
        if (src.length() != dst.length) {
            throw new IllegalArgumentException("length mismatch: " + src.length() + " vs " + dst.length);
        }
        FloatBuffer whole = nativeFloats(src, dst.length);
        if (whole != null) {
            whole.get(dst); // one bulk copy: DataBuffer.asFloat() reads element by element (~5 ms for 235,146 floats)
        } else if (src.isView() || src.data().length() != dst.length || src.ordering() != 'c' && src.rank() > 1 && !src.isVector()) {
            float[] tmp = src.dup('c').data().asFloat();
            System.arraycopy(tmp, 0, dst, 0, dst.length);
        } else {
            float[] tmp = src.data().asFloat();
            System.arraycopy(tmp, 0, dst, 0, dst.length);
        }
    }

    private static void copyIn(float[] src, INDArray dst) {
        if (dst.length() != src.length) {
            throw new IllegalArgumentException("length mismatch: " + dst.length() + " vs " + src.length);
        }
        FloatBuffer whole = nativeFloats(dst, src.length);
        if (whole != null) {
            whole.put(src); // one bulk copy: DataBuffer.setData(float[]) writes element by element
        } else if (!dst.isView() && dst.data().length() == src.length && dst.isVector()) {
            dst.data().setData(src);
        } else {
            dst.assign(Nd4j.createFromArray(src).reshape(dst.shape()));
        }
    }

    /**
     * The native memory of an array that is exactly its whole float buffer (no view, no offset, the
     * buffer's length), as a FloatBuffer in the platform's byte order; null otherwise. Element i of
     * such an array is float i of its buffer whatever its shape (DL4J's flattened parameter,
     * gradient and updater-state arrays are, in 'c' order or as vectors). Only for ND4J's CPU backend.
     */
    static FloatBuffer nativeFloats(INDArray a, int length) {
        DataBuffer d = a.data();
        boolean flat = a.ordering() == 'c' || a.isVector();
        // CPU buffers only: a GPU backend's host memory is a mirror that ND4J must be told about
        boolean cpu = d.getClass().getName().startsWith("org.nd4j.linalg.cpu.");
        if (!cpu || a.isView() || !flat || d.dataType() != DataType.FLOAT || d.offset() != 0 || d.length() != length) {
            return null;
        }
        ByteBuffer bytes = d.asNio();
        if (bytes == null || bytes.capacity() < 4L * length) {
            return null;
        }
        return bytes.duplicate().clear().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
