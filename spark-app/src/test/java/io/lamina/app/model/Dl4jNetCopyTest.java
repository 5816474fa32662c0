package io.lamina.app.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The bulk copies between Lamina's float[] and DL4J's native arrays (parameters, gradients,
 * updater state) put every element where ND4J's own element-wise accessors find it, for a dense
 * network and a graph (ResNet, whose flattened arrays come from a ComputationGraph and are
 * copied by ND4J's element-wise path).
 */
class Dl4jNetCopyTest {

    private static final ModelShape FASHION = new ModelShape(1, 28, 28, 10);

    @Test
    void parametersWrittenInBulkAreReadBackByNd4jElementByElement() {
        for (ModelKind kind : new ModelKind[] {ModelKind.MLP, ModelKind.LENET, ModelKind.RESNET}) {
            Dl4jNet net = Models.create(kind, FASHION, new Adam(1e-3), 5);
            float[] values = random(net.numParams(), 11);
            net.setParams(values);
            INDArray params = net.model().params();
            for (int i = 0; i < values.length; i += 97) {
                assertEquals(values[i], params.getFloat(i), 0f, kind + " element " + i);
            }
            assertEquals(values[values.length - 1], params.getFloat(values.length - 1), 0f);
            assertArrayEquals(values, net.params(), kind + ": read back in bulk");
            if (kind != ModelKind.RESNET) { // a graph's flattened parameters are a view: ND4J's own copy
                assertNotNull(Dl4jNet.nativeFloats(params, values.length), kind + ": the parameters take the bulk path");
            }
        }
    }

    @Test
    void gradientsAndUpdaterStateCopyElementForElement() {
        Dl4jNet net = Models.create(ModelKind.MLP, FASHION, new Adam(1e-3), 5);
        int batch = 4;
        float[] features = random(batch * 784, 5);
        float[] labels = new float[batch * 10];
        for (int b = 0; b < batch; b++) {
            labels[b * 10 + b] = 1;
        }
        net.computeGradient(features, labels, batch);
        float[] g = new float[net.numParams()];
        net.copyGradient(g);
        INDArray view = net.model().getGradientsViewArray();
        assertNotNull(Dl4jNet.nativeFloats(view, g.length), "the gradients take the bulk path");
        for (int i = 0; i < g.length; i += 89) {
            assertEquals(view.getFloat(i), g[i], 0f, "gradient element " + i);
        }
        net.applyGradient(g, batch, 0); // Adam's state is now non-zero
        float[] state = net.updaterState();
        float[] changed = random(state.length, 9);
        net.setUpdaterState(changed);
        assertArrayEquals(changed, net.updaterState());
        INDArray stateView = net.updaterStateView();
        assertNotNull(Dl4jNet.nativeFloats(stateView, state.length), "the updater state takes the bulk path");
        for (int i = 0; i < changed.length; i += 101) {
            assertEquals(changed[i], stateView.getFloat(i), 0f, "updater state element " + i);
        }
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
