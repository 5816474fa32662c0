package io.lamina.app.engine.protocol;

import io.lamina.app.config.OptimizerPlacement;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.Layout;
import io.lamina.compression.MemorySpec;

/**
 * What every task of a run needs and what never changes during it; broadcast once per run as
 * Lamina's bytes (never Java-serialized: see {@code RunWire}).
 *
 * @param runId          unique per run: keys the executors' replica registry
 * @param configJson     the DL4J network configuration
 * @param graph          ComputationGraph (true) or MultiLayerNetwork
 * @param segments       the compression layout (the granularity applied to the tensor layout)
 * @param stepsPerEpoch  steps per epoch of each partition (the smallest partition decides)
 * @param optimizerOn    where the optimizer runs (what the messages carry: gradients or updates)
 * @param theoryEvery    measure what compression loses every this many steps (0: never)
 */
public record StepPlan(String runId, String configJson, boolean graph, Layout segments, CompressorSpec compressor,
        MemorySpec memory, int batchPerWorker, int stepsPerEpoch, long seed, int workers, int checksumEvery,
        OptimizerPlacement optimizerOn, int theoryEvery) {

    public int epochOf(long step) {
        return (int) (step / stepsPerEpoch);
    }

    public int stepInEpochOf(long step) {
        return (int) (step % stepsPerEpoch);
    }

    /** Steps whose tasks measure the compression error ({@link CompressionError}); the first one too. */
    public boolean isTheoryStep(long step) {
        return theoryEvery > 0 && step % theoryEvery == 0;
    }

    public boolean isChecksumStep(long step) {
        return checksumEvery > 0 && step > 0 && step % checksumEvery == 0;
    }
}
