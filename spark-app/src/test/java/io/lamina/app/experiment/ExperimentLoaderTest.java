package io.lamina.app.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.config.TrainConfig;
import io.lamina.app.model.ModelKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Experiment files: grid expansion, run folders, and every kind of invalid file failing with file + key. */
class ExperimentLoaderTest {

    @TempDir
    Path tmp;

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(tmp.resolve(name), yaml);
    }

    private ExperimentFileException invalid(String yaml, String... expected) throws IOException {
        Path f = write("bad.yaml", yaml);
        ExperimentFileException e = assertThrows(ExperimentFileException.class, () -> ExperimentLoader.load(f));
        assertTrue(e.getMessage().contains(f.toString()), "message should name the file: " + e.getMessage());
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), "message should mention '" + s + "': " + e.getMessage());
        }
        return e;
    }

    @Test
    void twoByThreeGridGivesSixRunsWithTheRightValuesInOrder() throws IOException {
        Path f = write("g.yaml", """
                name: demo
                output: %s
                base:
                  model: mlp
                  batch: 32
                  steps: 10
                  memory: residual
                  lr: 1e-3
                grid:
                  compressor: [topk:0.01, qsgd:s=256]
                  granularity: [layer, model, bucket:65536]
                """.formatted(tmp.resolve("out")));
        Experiment e = ExperimentLoader.load(f);
        assertEquals("demo", e.name());
        assertEquals(6, e.runs().size());
        assertEquals(List.of("compressor", "granularity"), e.columns());
        String[][] expected = {
            {"topk:0.01", "layer"}, {"topk:0.01", "model"}, {"topk:0.01", "bucket:65536"},
            {"qsgd:s=256", "layer"}, {"qsgd:s=256", "model"}, {"qsgd:s=256", "bucket:65536"}};
        for (int i = 0; i < 6; i++) {
            ExperimentRun r = e.runs().get(i);
            TrainConfig c = r.config();
            assertEquals(i, r.index());
            assertEquals(expected[i][0], c.compressor());
            assertEquals(expected[i][1], c.granularity());
            assertEquals(Map.of("compressor", expected[i][0], "granularity", expected[i][1]), r.overrides());
            // base values reach every run
            assertEquals(ModelKind.MLP, c.model());
            assertEquals(32, c.batchPerWorker());
            assertEquals(10, c.steps());
            assertEquals("residual", c.memory());
            assertEquals(1e-3, c.optimizer().learningRate()); // "1e-3" is a string in YAML 1.1: still a number here
            assertEquals(tmp.resolve("out").resolve(r.id()).toString(), c.output());
        }
        assertEquals("compressor=topk_0.01,granularity=model", e.runs().get(1).id());
        assertEquals("compressor=qsgd_s_256,granularity=bucket_65536", e.runs().get(5).id());
    }

    @Test
    void includeAddsRunsAfterTheGridAndColumnsCoverTheirKeys() throws IOException {
        Path f = write("i.yaml", """
                base: {model: mlp, steps: 5, compressor: topk:0.01, memory: residual}
                grid: {granularity: [layer, model]}
                include:
                  - {compressor: none, memory: none}
                """);
        Experiment e = ExperimentLoader.load(f);
        assertEquals("i", e.name(), "default name: the file name");
        assertEquals(Path.of("runs/experiments/i"), e.output());
        assertEquals(3, e.runs().size());
        assertEquals(List.of("granularity", "compressor", "memory"), e.columns());
        ExperimentRun baseline = e.runs().get(2);
        assertEquals("compressor=none,memory=none", baseline.id());
        assertEquals("none", baseline.config().compressor());
        assertEquals("layer", baseline.config().granularity());
        assertEquals(Map.of("granularity", "layer", "compressor", "none", "memory", "none"),
                ExperimentRunner.values(e, baseline));
        assertEquals(Path.of("elsewhere"), ExperimentLoader.load(f, "elsewhere").output());
    }

    @Test
    void unknownKeysAreNamedWithWhatIsAllowed() throws IOException {
        invalid("grid: {compressor: [none]}\nbogus: 1\n", "bogus", "unknown key", "name, description, output, base, grid");
        invalid("base: {compresor: topk}\ngrid: {seed: [1]}\n", "base.compresor", "did you mean 'compressor'",
                "allowed: model, model-file, data, train, test");
        invalid("grid: {learning-rate: [0.1]}\n", "grid.learning-rate", "unknown setting", "lr");
        invalid("base: {output: x}\ngrid: {seed: [1]}\n", "base.output", "set output: at the top level");
        invalid("base: {master: local}\ngrid: {seed: [1]}\n", "base.master", "--master");
        invalid("compressor: none\ngrid: {seed: [1]}\n", "compressor", "training settings go under base: or grid:");
    }

    @Test
    void wrongTypesAreNamed() throws IOException {
        invalid("base: {batch: big}\ngrid: {seed: [1]}\n", "base.batch", "must be an integer", "'big'");
        invalid("base: {batch: 6.5}\ngrid: {seed: [1]}\n", "base.batch", "must be an integer");
        invalid("grid: {lr: [0.1, fast]}\n", "grid.lr[1]", "must be a number", "'fast'");
        invalid("grid: {compressor: [none, 3]}\n", "grid.compressor[1]", "must be a string", "topk:0.01");
        invalid("grid: {compressor: [no]}\n", "grid.compressor[0]", "boolean", "quote");
        invalid("grid: {compressor: topk:0.01}\n", "grid.compressor", "must be a list");
        invalid("base: {seed: [1, 2]}\ngrid: {model: [mlp]}\n", "base.seed", "put the key under grid:");
        invalid("base: [model, mlp]\ngrid: {seed: [1]}\n", "base", "must be a map");
        invalid("name: [a]\ngrid: {seed: [1]}\n", "name", "non-empty string");
        invalid("- a\n- b\n", "must be a YAML map");
    }

    @Test
    void invalidValuesAreNamedWithWhatIsAllowed() throws IOException {
        invalid("grid: {compressor: [topk:0.01, zip]}\n", "grid.compressor[1]", "unknown compressor 'zip'", "allowed:",
                "qsgd");
        invalid("grid: {compressor: ['topk:1.5']}\n", "grid.compressor[0]", "ratio");
        invalid("base: {workers: 0}\ngrid: {seed: [1]}\n", "base.workers", "workers must be >= 1, got 0");
        invalid("grid: {model: [mlp, vgg]}\n", "grid.model[1]", "unknown model 'vgg'", "mlp, lenet, resnet");
        invalid("grid: {granularity: [tile]}\n", "grid.granularity[0]", "layer, model, bucket");
        invalid("grid: {memory: [forget]}\n", "grid.memory[0]", "unknown memory 'forget'", "residual");
        invalid("grid: {optimizer: [lbfgs]}\n", "grid.optimizer[0]", "sgd, nesterov, adam");
        invalid("grid: {lr-schedule: [cosine]}\n", "grid.lr-schedule[0]", "constant, linear");
        invalid("include: [{compressor: zip}]\n", "include[0].compressor", "unknown compressor 'zip'");
        // only invalid in combination: no epochs and no steps
        invalid("base: {epochs: 0}\ngrid: {seed: [1, 2]}\n", "run 'seed=1'", "epochs must be >= 1");
        invalid("grid: {seed: [1, 1]}\n", "grid.seed[1]", "duplicate value 1");
    }

    @Test
    void aMemoryThatNeedsAParticularCompressorIsJudgedWithTheRunsCompressor() throws IOException {
        Path f = write("dgc.yaml", "base: {memory: dgc, optimizer: sgd, steps: 5}\n"
                + "grid: {compressor: ['dgc:0.01', 'topk:0.01']}\n");
        assertEquals(List.of("dgc", "dgc"), ExperimentLoader.load(f).runs().stream().map(r -> r.config().memory()).toList());
        invalid("base: {memory: dgc, optimizer: sgd}\ngrid: {compressor: [dgc:0.01, qsgd]}\n", "run 'compressor=qsgd'",
                "memory 'dgc'", "needs a sparsifier");
        invalid("base: {memory: dgc}\ngrid: {compressor: [dgc:0.01]}\n", "run 'compressor=dgc_0.01'",
                "memory 'dgc'", "second momentum", "optimizer sgd");
        invalid("grid: {compressor: [signsgd]}\ninclude: [{compressor: signum, optimizer-on: workers}]\n",
                "optimizer-on=workers", "majority vote");
    }

    @Test
    void emptyAndMissingPartsAreNamed() throws IOException {
        invalid("grid: {compressor: []}\n", "grid.compressor", "empty list", "at least one value");
        invalid("grid: {}\n", "grid", "at least one setting");
        invalid("name: x\nbase: {model: mlp}\n", "grid", "missing");
        invalid("", "is empty");
        invalid("include: []\n", "include", "non-empty list");
        invalid("grid: {seed: [1]}\ninclude: [{}]\n", "include[0]", "empty map");
    }

    @Test
    void missingFileAndYamlSyntaxErrorsNameTheFile() throws IOException {
        Path missing = tmp.resolve("nowhere.yaml");
        ExperimentFileException e = assertThrows(ExperimentFileException.class, () -> ExperimentLoader.load(missing));
        assertTrue(e.getMessage().contains("nowhere.yaml") && e.getMessage().contains("no such file"), e.getMessage());

        invalid("grid: {compressor: [none, topk\n", "not valid YAML", "line");
        invalid("grid:\n  seed: [1]\n\tbase: x\n", "not valid YAML");
        invalid("grid: {seed: [1]}\ngrid: {seed: [2]}\n", "not valid YAML", "duplicate key grid");
        invalid("base: !!java.io.File {}\ngrid: {seed: [1]}\n", "not valid YAML");
    }

    @Test
    void shippedExperimentFilesLoadAndValidate() throws IOException {
        Path dir = Path.of("..", "conf", "experiments");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.stream().anyMatch(p -> p.endsWith("granularity.yaml")), "granularity.yaml: " + files);
        assertTrue(files.stream().anyMatch(p -> p.endsWith("quantisers.yaml")), "quantisers.yaml: " + files);
        for (Path f : files) {
            Experiment e = ExperimentLoader.load(f);
            assertFalse(e.runs().isEmpty(), f.toString());
            if (e.runs().stream().allMatch(r -> r.config().data() == null)) {
                ExperimentRunner.loadData(e); // the batch fits the embedded data
            } // (the paper-* files read the full Fashion-MNIST beside the repository, which tests must not need)
        }
        Experiment g = ExperimentLoader.load(dir.resolve("granularity.yaml"));
        assertEquals(List.of("granularity=layer", "granularity=model", "granularity=bucket_65536",
                "optimizer-on=master,compressor=none,memory=none"), g.runs().stream().map(ExperimentRun::id).toList());
        assertEquals("topk:0.01", g.runs().get(0).config().compressor());
        assertEquals("residual", g.runs().get(0).config().memory());
        assertEquals(io.lamina.app.config.OptimizerOn.WORKERS, g.runs().get(0).config().optimizerOn());
        assertEquals(io.lamina.app.config.OptimizerOn.MASTER, g.runs().get(3).config().optimizerOn());
        Experiment a = ExperimentLoader.load(dir.resolve("accuracy.yaml"));
        assertEquals(12, a.runs().size(), "four settings x three seeds");
        for (ExperimentRun run : a.runs()) { // the defaults: auto puts the optimizer on the workers for top-k only
            boolean topk = run.config().compressor().startsWith("topk");
            assertEquals(topk ? io.lamina.app.config.OptimizerPlacement.WORKERS
                    : io.lamina.app.config.OptimizerPlacement.MASTER, run.config().optimizerPlacement(), run.id());
        }
        Experiment q = ExperimentLoader.load(dir.resolve("quantisers.yaml"));
        assertEquals(List.of("qsgd:s=256", "terngrad", "signsgd", "none"),
                q.runs().stream().map(r -> r.config().compressor()).toList());
    }
}
