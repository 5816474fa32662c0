package io.lamina.app.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.app.TrainingJob;
import io.lamina.app.config.TrainConfig;
import io.lamina.app.config.TrainSetting;
import io.lamina.app.engine.driver.RunModel;
import io.lamina.app.engine.protocol.Checkpoint;
import io.lamina.app.model.ModelKind;
import io.lamina.app.spark.SparkContexts;
import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.IdxDataset;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs whose data, outputs and checkpoints live on a real HDFS (an in-process MiniDFSCluster,
 * one name node and one data node on loopback): IDX files resumed from there, and CSV files read
 * by the executors.
 */
class HdfsRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static MiniDFSCluster hdfs;
    private static FileSystem fs;
    private static JavaSparkContext sc;

    @TempDir
    static Path base;

    @BeforeAll
    static void start() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        fs = hdfs.getFileSystem();
        // The embedded Fashion-MNIST subset as IDX files on HDFS.
        for (String name : IdxDataset.FILE_NAMES) {
            try (InputStream in = HdfsRunTest.class.getClassLoader()
                    .getResourceAsStream(EmbeddedData.RESOURCE_FOLDER + "/" + name + ".gz");
                    FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path("/data/" + name + ".gz"))) {
                in.transferTo(out);
            }
        }
        sc = SparkContexts.create("local[2]", "hdfs-run-test");
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
        if (hdfs != null) {
            hdfs.shutdown();
        }
    }

    private static String uri(String path) {
        return fs.getUri() + path;
    }

    @Test
    void trainsFromHdfsWritesOutputsAndCheckpointsThereAndResumesFromThem() throws Exception {
        Map<TrainSetting, Object> m = new EnumMap<>(TrainSetting.class);
        m.put(TrainSetting.MODEL, ModelKind.MLP.cliName());
        m.put(TrainSetting.WORKERS, 2);
        m.put(TrainSetting.BATCH, 16);
        m.put(TrainSetting.STEPS, 6L);
        m.put(TrainSetting.DATA, uri("/data"));
        m.put(TrainSetting.OUTPUT, uri("/runs/one"));
        m.put(TrainSetting.CHECKPOINT_EVERY, 3);
        m.put(TrainSetting.COMPRESSOR, "topk:0.05");
        m.put(TrainSetting.MEMORY, "residual");
        TrainConfig config = TrainConfig.defaults().with(m);
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        TrainingJob.run(config, TrainingJob.source(config), sc, quiet);

        org.apache.hadoop.fs.Path run = new org.apache.hadoop.fs.Path("/runs/one");
        JsonNode summary = JSON.readTree(fs.open(new org.apache.hadoop.fs.Path(run, "summary.json")));
        assertEquals("completed", summary.get("status").asText());
        assertEquals(6, summary.get("steps").asInt());
        assertTrue(fs.getFileStatus(new org.apache.hadoop.fs.Path(run, "model.zip")).getLen() > 10_000);
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(run, "checkpoints/step-0000000003/state.bin")));
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(run, "checkpoints/step-0000000006/model.zip")));

        Checkpoint c = new CheckpointStore(uri("/runs/one"), sc.hadoopConfiguration(), 2).latest();
        assertEquals(6, c.steps());
        Map<TrainSetting, Object> longer = new EnumMap<>(TrainSetting.class);
        longer.put(TrainSetting.STEPS, 9L);
        TrainConfig resumed = ResumeSettings.resume(c.settings(), longer);
        TrainingJob.run(resumed, TrainingJob.source(resumed), RunModel.source(resumed), sc, quiet, c);
        JsonNode after = JSON.readTree(fs.open(new org.apache.hadoop.fs.Path(run, "summary.json")));
        assertEquals(9, after.get("steps").asInt());
        String metrics = new String(fs.open(new org.apache.hadoop.fs.Path(run, "metrics.jsonl")).readAllBytes());
        assertEquals(9, metrics.lines().count(), "metrics.jsonl on HDFS continues across the resume");
    }

    @Test
    void trainsFromCsvFilesOnHdfs() throws Exception {
        io.lamina.datasets.TrainTestData all = EmbeddedData.load();
        writeCsv("/csv/train.csv", all.train().slice(0, 600));
        writeCsv("/csv/test.csv", all.test().slice(0, 100));
        Map<TrainSetting, Object> m = new EnumMap<>(TrainSetting.class);
        m.put(TrainSetting.MODEL, ModelKind.MLP.cliName());
        m.put(TrainSetting.WORKERS, 2);
        m.put(TrainSetting.BATCH, 16);
        m.put(TrainSetting.STEPS, 8L);
        m.put(TrainSetting.TRAIN, uri("/csv/train.csv"));
        m.put(TrainSetting.TEST, uri("/csv/test.csv"));
        m.put(TrainSetting.OUTPUT, uri("/runs/csv"));
        TrainConfig config = TrainConfig.defaults().with(m);
        TrainingJob.run(config, TrainingJob.source(config), sc, new PrintStream(java.io.OutputStream.nullOutputStream()));
        org.apache.hadoop.fs.Path run = new org.apache.hadoop.fs.Path("/runs/csv");
        JsonNode summary = JSON.readTree(fs.open(new org.apache.hadoop.fs.Path(run, "summary.json")));
        assertEquals("completed", summary.get("status").asText());
        assertEquals(600, summary.get("train_examples").asInt());
        assertEquals("standard", summary.get("normalizer").asText());
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(run, "normalizer.json")));
    }

    /** Label first, then the pixels, one example per line. */
    private static void writeCsv(String path, io.lamina.datasets.LabeledData d) throws Exception {
        StringBuilder b = new StringBuilder();
        int f = d.featureSize();
        for (int i = 0; i < d.numExamples(); i++) {
            b.append(d.label(i));
            for (int j = 0; j < f; j++) {
                b.append(',').append(d.features()[i * f + j]);
            }
            b.append('\n');
        }
        try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(path))) {
            out.write(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
