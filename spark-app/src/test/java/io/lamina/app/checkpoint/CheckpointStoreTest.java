package io.lamina.app.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.engine.protocol.Checkpoint;
import io.lamina.app.engine.protocol.Snapshot;
import io.lamina.app.engine.protocol.WorkerState;
import io.lamina.app.model.Dl4jNet;
import io.lamina.app.model.ModelKind;
import io.lamina.app.model.ModelShape;
import io.lamina.app.model.Models;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

/** Checkpoints are whole or absent: a write that fails halfway leaves the previous one loadable. */
class CheckpointStoreTest {

    @TempDir
    Path tmp;

    /** A local file system whose writes fail, once armed, after a few bytes of the named file. */
    static final class FailingFileSystem extends FilterFileSystem {
        volatile String failOn;

        FailingFileSystem(Configuration conf) throws IOException {
            super(FileSystem.getLocal(conf).getRaw());
        }

        @Override
        public FSDataOutputStream create(org.apache.hadoop.fs.Path f, FsPermission permission, boolean overwrite,
                int bufferSize, short replication, long blockSize, Progressable progress) throws IOException {
            FSDataOutputStream out = super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
            if (failOn == null || !f.getName().equals(failOn)) {
                return out;
            }
            return new FSDataOutputStream(new java.io.OutputStream() {
                int written;

                @Override
                public void write(int b) throws IOException {
                    if (++written > 100) {
                        throw new IOException("disk failed while writing " + f);
                    }
                    out.write(b);
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }
            }, null);
        }
    }

    private static Checkpoint checkpoint(long steps, Dl4jNet net) {
        Snapshot master = new Snapshot(steps, net.params(), net.updaterState(), (int) steps, 0, null);
        WorkerState w = new WorkerState(0, steps, 0, 0, null, new float[][] {{1, 2}, null}, null);
        return new Checkpoint(steps, master, new WorkerState[] {w, null}, 10 * steps, 20 * steps, 0, 0,
                Map.of("model", "mlp"));
    }

    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousCheckpointWholeAndLoadable() throws Exception {
        Dl4jNet net = Models.create(ModelKind.MLP, new ModelShape(1, 28, 28, 10), new Adam(1e-3), 1);
        FailingFileSystem fs = new FailingFileSystem(new Configuration());
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(tmp.toUri());
        CheckpointStore store = new CheckpointStore(fs, out, 2);
        store.write(checkpoint(5, net), net);
        for (String file : new String[] {"state.bin", "model.zip"}) {
            fs.failOn = file;
            assertThrows(IOException.class, () -> store.write(checkpoint(10, net), net), file);
            fs.failOn = null;
            Checkpoint back = store.latest();
            assertEquals(5, back.steps(), "the broken write of step 10 (" + file + ") is not a checkpoint");
            assertArrayEquals(net.params(), back.master().params());
            assertArrayEquals(new float[] {1, 2}, back.workers()[0].memory()[0]);
        }
        Path model = tmp.resolve("checkpoints/step-0000000005/model.zip");
        assertArrayEquals(net.params(),
                ModelSerializer.restoreMultiLayerNetwork(model.toFile()).params().data().asFloat(),
                "the last good checkpoint's model loads with plain DL4J");
    }

    @Test
    void keepsTheNewestAndSkipsADamagedOne() throws Exception {
        Dl4jNet net = Models.create(ModelKind.MLP, new ModelShape(1, 28, 28, 10), new Adam(1e-3), 1);
        CheckpointStore store = new CheckpointStore(tmp.toString(), new Configuration(), 2);
        for (long s : new long[] {3, 6, 9}) {
            store.write(checkpoint(s, net), net);
        }
        try (var dirs = Files.list(tmp.resolve("checkpoints"))) {
            assertEquals(2, dirs.count(), "the oldest was removed");
        }
        Files.write(tmp.resolve("checkpoints/step-0000000009/state.bin"), new byte[] {1, 2, 3});
        assertEquals(6, store.latest().steps(), "a damaged newest checkpoint falls back to the one before");
        assertTrue(Files.exists(tmp.resolve("checkpoints/step-0000000006/checkpoint.json")));
    }
}
