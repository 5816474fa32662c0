package io.lamina.app.engine.worker;

import io.lamina.app.engine.protocol.EvalResult;
import io.lamina.app.engine.protocol.LaminaBroadcast;
import io.lamina.app.engine.protocol.LaminaBytes;
import io.lamina.app.engine.protocol.StepPlan;
import io.lamina.app.model.Dl4jNet;
import io.lamina.datasets.LabeledData;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The executor side of a distributed evaluation: scores one partition's test slice with a
 * per-executor network that takes the master's parameters from a broadcast. The slice arrives and
 * the counts leave as Lamina's bytes.
 */
public final class EvalTask implements FlatMapFunction<Iterator<byte[]>, byte[]> {

    private static final long serialVersionUID = 1L;
    private static final int CHUNK = 256;

    private final LaminaBroadcast<StepPlan> plan;
    private final LaminaBroadcast<float[]> params;

    public EvalTask(LaminaBroadcast<StepPlan> plan, LaminaBroadcast<float[]> params) {
        this.plan = plan;
        this.params = params;
    }

    @Override
    public Iterator<byte[]> call(Iterator<byte[]> slices) {
        StepPlan p = plan.value();
        int partition = TaskContext.getPartitionId();
        Dl4jNet net = (Dl4jNet) ReplicaRegistry.evalModel(p.runId(), partition);
        if (net == null) {
            net = Dl4jNet.fromJson(p.configJson(), p.graph(), params.value());
            ReplicaRegistry.putEvalModel(p.runId(), partition, net);
        } else {
            net.setParams(params.value());
        }
        LabeledData slice = LaminaBytes.read(slices.next(), LabeledData.class);
        return List.of(LaminaBytes.write(score(net, slice))).iterator();
    }

    /** Accuracy and mean NLL of {@code net} on {@code data}, in chunks. */
    static EvalResult score(Dl4jNet net, LabeledData data) {
        int n = data.numExamples();
        int f = data.featureSize();
        int k = data.numClasses();
        long correct = 0;
        double loss = 0;
        for (int start = 0; start < n; start += CHUNK) {
            int b = Math.min(CHUNK, n - start);
            float[] x = new float[b * f];
            System.arraycopy(data.features(), start * f, x, 0, b * f);
            float[] p = net.output(x, b);
            for (int i = 0; i < b; i++) {
                int label = data.label(start + i);
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (p[i * k + c] > p[i * k + best]) {
                        best = c;
                    }
                }
                if (best == label) {
                    correct++;
                }
                loss -= Math.log(Math.max(p[i * k + label], 1e-12));
            }
        }
        return new EvalResult(correct, loss, n);
    }
}
