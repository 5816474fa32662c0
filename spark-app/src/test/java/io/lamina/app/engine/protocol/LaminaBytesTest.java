package io.lamina.app.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.app.config.OptimizerPlacement;
import io.lamina.compression.Layout;
import io.lamina.compression.Segment;
import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.method.Memories;
import io.lamina.datasets.DataBlock;
import io.lamina.datasets.EmbeddedData;
import io.lamina.datasets.LabeledData;
import io.lamina.datasets.Partitioner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Lamina's own bytes: the once-per-run objects survive exactly; anything else is refused. */
class LaminaBytesTest {

    private static StepPlan plan() {
        Layout layout = Layout.of(List.of(new Segment("w", 0, 6000, new int[] {60, 100}), new Segment("b", 6000, 37)));
        return new StepPlan("run-1", "{\"conf\": 1}", true, layout, Compressors.parse("powersgd:rank=2"),
                Memories.parse("residual"), 16, 37, -5L, 3, 2, OptimizerPlacement.WORKERS, 7);
    }

    @Test
    void oncePerRunObjectsRoundTripExactly() {
        StepPlan p = plan();
        StepPlan back = LaminaBytes.read(LaminaBytes.write(p), StepPlan.class);
        assertEquals(p.runId(), back.runId());
        assertEquals(p.configJson(), back.configJson());
        assertEquals(p.graph(), back.graph());
        assertEquals(p.segments(), back.segments());
        assertEquals(p.compressor().spec(), back.compressor().spec());
        assertEquals(p.memory().spec(), back.memory().spec());
        assertEquals(List.of(p.batchPerWorker(), p.stepsPerEpoch(), p.workers(), p.checksumEvery(), p.theoryEvery()),
                List.of(back.batchPerWorker(), back.stepsPerEpoch(), back.workers(), back.checksumEvery(),
                        back.theoryEvery()));
        assertEquals(p.seed(), back.seed());
        assertEquals(p.optimizerOn(), back.optimizerOn());

        LabeledData d = EmbeddedData.load().train().slice(0, 50);
        LabeledData dBack = LaminaBytes.read(LaminaBytes.write(d), LabeledData.class);
        assertArrayEquals(d.features(), dBack.features());
        assertArrayEquals(d.labels(), dBack.labels());
        assertEquals(d.shape(), dBack.shape());
        assertEquals(d.numClasses(), dBack.numClasses());

        DataBlock b = Partitioner.block(d, 2, 1, 9);
        DataBlock bBack = LaminaBytes.read(LaminaBytes.write(b), DataBlock.class);
        assertEquals(List.of(b.partition(), b.seed()), List.of(bBack.partition(), bBack.seed()));
        assertArrayEquals(b.sourceIndices(), bBack.sourceIndices());
        assertArrayEquals(b.data().features(), bBack.data().features());
        assertArrayEquals(b.epochOrder(3), bBack.epochOrder(3));

        EvalResult e = new EvalResult(7, 1.25, 9);
        assertEquals(e, LaminaBytes.read(LaminaBytes.write(e), EvalResult.class));
    }

    @Test
    void wrongTypeTruncatedAndTrailingBytesAreRefused() {
        byte[] bytes = LaminaBytes.write(plan());
        assertThrows(CorruptMessageException.class, () -> LaminaBytes.read(bytes, EvalResult.class));
        for (int cut : new int[] {1, bytes.length / 2, bytes.length - 1}) {
            assertThrows(CorruptMessageException.class,
                    () -> LaminaBytes.read(Arrays.copyOf(bytes, cut), StepPlan.class), "cut at " + cut);
        }
        assertThrows(CorruptMessageException.class,
                () -> LaminaBytes.read(Arrays.copyOf(bytes, bytes.length + 1), StepPlan.class));
        // Java serialization is not read: a serialized object's bytes are not Lamina's.
        assertThrows(CorruptMessageException.class, () -> LaminaBytes.read(new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5},
                StepPlan.class));
    }

    @Test
    void aThreadKeepsNoBufferLargerThanFourMebibytesAfterALargeWrite() {
        float[] small = new float[431_080]; // 1.7 MB, LeNet's dense message: the buffer grows and is kept
        float[] large = new float[3_000_000]; // 12 MB, as a data block or a snapshot
        large[2_999_999] = 7f;
        assertArrayEquals(small, LaminaBytes.read(LaminaBytes.write(small), float[].class));
        int kept = LaminaBytes.keptBufferLength();
        assertTrue(kept >= 1_724_320 && kept <= LaminaBytes.KEPT_BUFFER, "kept " + kept);
        assertArrayEquals(large, LaminaBytes.read(LaminaBytes.write(large), float[].class));
        assertTrue(LaminaBytes.keptBufferLength() <= LaminaBytes.KEPT_BUFFER,
                "a 12 MB buffer stays with the thread: " + LaminaBytes.keptBufferLength());
        assertArrayEquals(small, LaminaBytes.read(LaminaBytes.write(small), float[].class), "and it writes again");
    }

    /** A checkpoint as a fit carries it: small arrays, and as many settings as a checkpoint may hold. */
    private static Checkpoint checkpoint() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("one character", "x"); // Kryo's other forms: UTF-8 (1 or 64+ characters, not ASCII), empty
        settings.put("long", "a".repeat(100));
        settings.put("not ASCII", "décroissance λ");
        settings.put("empty", "");
        for (int i = 4; i < 1000; i++) {
            settings.put("setting-" + i, "value of setting " + i); // ASCII, 2 to 63 characters: Kryo's ASCII form
        }
        Snapshot master = new Snapshot(18, new float[] {1, 2, 3}, new float[] {4, 5}, 36, 2, null);
        WorkerState[] workers = {new WorkerState(0, 18, 36, 2, new float[] {6}, new float[][] {{7, 8, 9}}, null), null};
        return new Checkpoint(18, master, workers, 100, 200, 1, 0, settings);
    }

    @Test
    void aCheckpointRoundTripsExactly() {
        Checkpoint c = checkpoint();
        Checkpoint back = LaminaBytes.read(LaminaBytes.write(c), Checkpoint.class);
        assertEquals(List.of(c.steps(), c.uplinkBytes(), c.downlinkBytes(), c.rebuiltReplicas(), c.checksumMismatches()),
                List.of(back.steps(), back.uplinkBytes(), back.downlinkBytes(), back.rebuiltReplicas(),
                        back.checksumMismatches()));
        assertEquals(c.master().version(), back.master().version());
        assertArrayEquals(c.master().params(), back.master().params());
        assertArrayEquals(c.master().updaterState(), back.master().updaterState());
        assertEquals(c.workers()[0].version(), back.workers()[0].version());
        assertArrayEquals(c.workers()[0].memory()[0], back.workers()[0].memory()[0]);
        assertEquals(null, back.workers()[1]);
        assertEquals(c.settings(), back.settings());
        assertEquals(List.copyOf(c.settings().keySet()), List.copyOf(back.settings().keySet()), "in order");
    }

    /**
     * A broadcast's bytes are one array shared by every task thread of an executor (of the whole
     * JVM in local mode), decoded by several at once: reading must not write into them. Kryo 4's
     * {@code Input.readString} does, for an ASCII string (it clears the high bit of the string's
     * last byte while it builds the String), and another thread then read past the end of that
     * string: "Buffer underflow" in a resumed fit's checkpoint, whose last field is its settings.
     * A race, so the test repeats it (500 decodes by 4 threads, well under a second).
     */
    @Test
    void threadsDecodingTheSameBytesAtOnceAllReadThem() throws Exception {
        Checkpoint c = checkpoint();
        byte[] shared = LaminaBytes.write(c);
        byte[] copy = shared.clone();
        int threads = 4;
        CyclicBarrier together = new CyclicBarrier(threads);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                readers.add(pool.submit(() -> {
                    try {
                        for (int round = 0; round < 500 && failed.get() == null; round++) {
                            together.await(); // the threads start each decode together
                            assertEquals(c.settings(), LaminaBytes.read(shared, Checkpoint.class).settings());
                        }
                    } catch (BrokenBarrierException e) {
                        // another reader failed
                    } catch (Throwable e) {
                        failed.compareAndSet(null, e);
                        together.reset(); // releases the others
                    }
                    return null;
                }));
            }
            for (Future<?> r : readers) {
                r.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        if (failed.get() != null) {
            throw new AssertionError("a reader failed: " + failed.get(), failed.get());
        }
        assertArrayEquals(copy, shared, "the bytes are as written");
    }
}
