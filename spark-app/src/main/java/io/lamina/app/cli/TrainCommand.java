package io.lamina.app.cli;

import io.lamina.app.TrainingJob;
import io.lamina.app.engine.OptimizerPlacement;
import io.lamina.app.engine.OptimizerSpec;
import io.lamina.app.engine.TrainConfig;
import io.lamina.app.engine.driver.TrainingDivergedException;
import io.lamina.app.model.ModelKind;
import io.lamina.datasets.DatasetException;
import io.lamina.datasets.TrainTestData;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lamina train}: one training run with defaults that run (LeNet on the embedded data). */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model data-parallel on Spark and write metrics.jsonl, summary.json and model.zip.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "lenet", description = "mlp, lenet, resnet (default: ${DEFAULT-VALUE})")
    String model;
    @Option(names = "--data", description = "Folder or Hadoop URI (file://, hdfs://, s3a://) with the four IDX files "
            + "(train-images-idx3-ubyte[.gz], ...); default: the embedded Fashion-MNIST subset")
    String data;
    @Option(names = "--workers", defaultValue = "2", description = "Data-parallel workers = partitions (default: ${DEFAULT-VALUE})")
    int workers;
    @Option(names = "--batch", defaultValue = "64", description = "Examples per worker per step (default: ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--steps", defaultValue = "0", description = "Total steps; overrides --epochs when > 0")
    long steps;
    @Option(names = "--optimizer", defaultValue = "adam", description = OptimizerSpec.ALLOWED + " (default: ${DEFAULT-VALUE})")
    String optimizer;
    @Option(names = "--lr", defaultValue = "0.002", description = "Learning rate (default: ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--momentum", defaultValue = "0.9", description = "Momentum for nesterov (default: ${DEFAULT-VALUE})")
    double momentum;
    @Option(names = "--optimizer-on", defaultValue = "master",
            description = "Where the optimizer runs: master (on the averaged gradient) or workers (each worker's"
                    + " update is compressed with error feedback; DGC's momentum correction for any optimizer)"
                    + " (default: ${DEFAULT-VALUE})")
    String optimizerOn;
    @Option(names = "--warmup-steps", defaultValue = "0", description = "Linear learning-rate warm-up steps")
    int warmupSteps;
    @Option(names = "--lr-schedule", defaultValue = "constant",
            description = OptimizerSpec.ALLOWED_SCHEDULES + " (default: ${DEFAULT-VALUE})")
    String schedule;
    @Option(names = "--seed", defaultValue = "42", description = "Seed for weights, partitioning and minibatches")
    long seed;
    @Option(names = "--eval-every", defaultValue = "0", description = "Evaluate every N steps (0: at the end only)")
    int evalEvery;
    @Option(names = "--checksum-every", defaultValue = "50",
            description = "Check replicas against the master every N steps (0: never; default: ${DEFAULT-VALUE})")
    int checksumEvery;
    @Option(names = "--compressor", defaultValue = "none", description = "Gradient compressor name[:params] (default: ${DEFAULT-VALUE})")
    String compressor;
    @Option(names = "--memory", defaultValue = "none", description = "Compression memory name[:params] (default: ${DEFAULT-VALUE})")
    String memory;
    @Option(names = "--granularity", defaultValue = "layer", description = "layer, model, bucket:<elements> (default: ${DEFAULT-VALUE})")
    String granularity;
    @Option(names = "--tree-depth", defaultValue = "2", description = "treeReduce depth (default: ${DEFAULT-VALUE})")
    int treeDepth;
    @Option(names = "--output", defaultValue = "runs/latest", description = "Output folder (default: ${DEFAULT-VALUE})")
    String output;
    @Option(names = "--master", description = "Spark master when not launched by spark-submit (default: local[<workers>])")
    String master;

    /** The validated configuration; throws IllegalArgumentException naming what is wrong and what is allowed. */
    TrainConfig toConfig() {
        TrainConfig c = new TrainConfig();
        c.model = ModelKind.parse(model);
        c.data = data;
        c.workers = workers;
        c.batchPerWorker = batch;
        c.epochs = epochs;
        c.steps = steps;
        c.optimizer = OptimizerSpec.parse(optimizer, lr, momentum, warmupSteps, schedule);
        c.optimizerOn = OptimizerPlacement.parse(optimizerOn);
        c.seed = seed;
        c.evalEvery = evalEvery;
        c.checksumEvery = checksumEvery;
        c.compressor = compressor;
        c.memory = memory;
        c.granularity = granularity;
        c.treeDepth = treeDepth;
        c.output = output;
        c.master = master;
        return c.validate();
    }

    @Override
    public Integer call() throws Exception {
        TrainConfig config;
        TrainTestData loaded;
        try {
            config = toConfig();
            loaded = TrainingJob.loadData(config);
            io.lamina.app.engine.driver.DistributedTrainer.stepsPerEpoch(config, loaded.train());
        } catch (IllegalArgumentException | DatasetException e) {
            System.err.println("lamina train: " + e.getMessage());
            return LaminaCli.EXIT_BAD_INPUT;
        }
        try {
            TrainingJob.run(config, loaded, null, System.out);
            return 0;
        } catch (TrainingDivergedException e) {
            System.err.println("lamina train: stopped: " + e.getMessage() + "; model.zip holds it, see "
                    + config.output + "/summary.json");
            return LaminaCli.EXIT_DIVERGED;
        }
    }
}
