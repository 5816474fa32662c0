package io.lamina.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the IDX files from a real (in-process) HDFS through hdfs:// URIs. */
class HdfsReadTest {

    @TempDir
    static Path base;
    private static MiniDFSCluster cluster;
    private static String root;

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        root = "hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/data";
        Path local = Files.createDirectories(base.resolve("local"));
        TestIdx.writeDataset(local, 30, 10, 28, 28, true);
        FileSystem fs = cluster.getFileSystem();
        for (File f : local.toFile().listFiles()) {
            try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path("/data/" + f.getName()))) {
                Files.copy(f.toPath(), out);
            }
        }
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    @Test
    void loadsTheFourFilesFromAnHdfsFolderAsFromALocalOne() {
        TrainTestData fromHdfs = IdxDataset.load(root);
        TrainTestData fromDisk = IdxDataset.load(base.resolve("local").toString());
        assertEquals(30, fromHdfs.train().numExamples());
        assertEquals(10, fromHdfs.test().numExamples());
        assertArrayEquals(fromDisk.train().features(), fromHdfs.train().features());
        assertArrayEquals(fromDisk.test().labels(), fromHdfs.test().labels());
    }

    @Test
    void aMissingHdfsFolderNamesItsUri() {
        DatasetException e = assertThrows(DatasetException.class, () -> IdxDataset.load(root + "-missing"));
        assertTrue(e.getMessage().contains("data-missing"), e.getMessage());
    }
}
