package io.lamina.app.engine;

import io.lamina.app.model.ModelKind;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.granularity.Granularity;
import io.lamina.compression.method.Memories;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that defines a training run. Built by the CLI or the Java API, validated by
 * {@link #validate()} before Spark starts: a wrong value fails with a message that says what
 * was wrong and what is allowed.
 */
public final class TrainConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public ModelKind model = ModelKind.LENET;
    /** Folder or Hadoop URI with the four IDX files; null = the embedded Fashion-MNIST subset. */
    public String data;
    public int workers = 2;
    public int batchPerWorker = 64;
    public int epochs = 5;
    /** Total steps; 0 = derived from epochs. */
    public long steps;
    public OptimizerSpec optimizer = OptimizerSpec.parse("adam", 2e-3, 0.9, 0, "constant");
    /** Where the optimizer runs: on the master (the default) or on each worker before compression. */
    public OptimizerPlacement optimizerOn = OptimizerPlacement.MASTER;
    public long seed = 42;
    /** Evaluate on the test set every this many steps (0 = only at the end). */
    public int evalEvery = 0;
    /** Compare replica checksums with the master every this many steps (0 = never). */
    public int checksumEvery = 50;
    public String compressor = "none";
    public String memory = "none";
    public String granularity = "layer";
    public int treeDepth = 2;
    public String output = "runs/latest";
    /** Spark master when not launched by spark-submit; null = local[workers]. */
    public String master;
    /** Print a progress line at most this often. */
    public double progressSeconds = 2.0;

    /** @throws IllegalArgumentException naming the bad value and what is allowed */
    public TrainConfig validate() {
        require(workers >= 1, "--workers must be >= 1, got " + workers);
        require(batchPerWorker >= 1, "--batch must be >= 1, got " + batchPerWorker);
        require(epochs >= 1 || steps >= 1, "--epochs must be >= 1 (or give --steps >= 1), got " + epochs);
        require(steps >= 0, "--steps must be >= 0, got " + steps);
        require(evalEvery >= 0, "--eval-every must be >= 0, got " + evalEvery);
        require(checksumEvery >= 0, "--checksum-every must be >= 0, got " + checksumEvery);
        require(treeDepth >= 1, "--tree-depth must be >= 1, got " + treeDepth);
        require(model != null, "--model is required; allowed: " + ModelKind.allowed());
        require(optimizer != null, "--optimizer is required");
        require(optimizerOn != null, "--optimizer-on is required; allowed: " + OptimizerPlacement.allowed());
        io.lamina.compression.method.Compatibility.check(Compressors.parse(compressor), Memories.parse(memory));
        Granularity.parse(granularity);
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The configuration as a flat map, for summary.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.cliName());
        m.put("data", data == null ? "embedded:fashion-mnist-subset" : data);
        m.put("workers", workers);
        m.put("batch_per_worker", batchPerWorker);
        m.put("epochs", epochs);
        m.put("steps", steps);
        m.put("optimizer", optimizer.name());
        m.put("learning_rate", optimizer.learningRate());
        m.put("momentum", optimizer.momentum());
        m.put("warmup_steps", optimizer.warmupSteps());
        m.put("lr_schedule", optimizer.schedule());
        m.put("optimizer_on", optimizerOn.cliName());
        m.put("seed", seed);
        m.put("eval_every", evalEvery);
        m.put("checksum_every", checksumEvery);
        m.put("compressor", compressor);
        m.put("memory", memory);
        m.put("granularity", granularity);
        m.put("tree_depth", treeDepth);
        m.put("output", output);
        m.put("master", master);
        return m;
    }
}
