package io.lamina.app.bench;

import io.lamina.app.engine.driver.TreeReduce;
import io.lamina.app.engine.protocol.MergeTree;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Spark's own floor for a job shaped like a Lamina step, measured on the bench's SparkContext
 * before the Lamina runs: one job per step over a cached {@code JavaRDD<byte[]>} of one block per
 * worker (Lamina's layout), its results reduced in the same {@link MergeTree} shape as Lamina's
 * (its intermediate levels on the executors, the rest on the driver), with nothing computed in
 * the tasks. Three shapes ({@link Floors}): a tiny result; the same plus a small broadcast made on
 * the driver each step and read by every task (Lamina broadcasts each step's downlink); and a
 * broadcast and results of the dense message's size. A step's time runs, as Lamina's wall time
 * does, from the job's submission to the next step's broadcast being made. The warm-up and
 * measured step counts are the Lamina runs'.
 */
final class SparkFloor {

    /** Bytes of the {@code tiny} result (a loss and a count would take as much). */
    static final int TINY_RESULT_BYTES = 8;
    /** Bytes of the {@code broadcast} floor's broadcast: about a Top-k 1% downlink of a small layer. */
    static final int SMALL_BROADCAST_BYTES = 1024;
    /**
     * Bytes of each cached block. MEMORY_ONLY keeps a block as the object itself, and Lamina's
     * tasks read theirs only at the first step, so its size does not change a step's cost.
     */
    private static final int BLOCK_BYTES = 1024;
    /** The driver's merge keeps one of the two results: summing them is Lamina's work, not Spark's. */
    private static final Function2<byte[], byte[], byte[]> KEEP_FIRST = (a, b) -> a;

    private final JavaSparkContext sc;
    private final int workers;
    private final MergeTree tree;
    private final int warmupSteps;
    private final int steps;

    SparkFloor(JavaSparkContext sc, int workers, int treeDepth, int warmupSteps, int steps) {
        this.sc = sc;
        this.workers = workers;
        this.tree = MergeTree.of(workers, treeDepth);
        this.warmupSteps = warmupSteps;
        this.steps = steps;
    }

    /**
     * The three floors over {@code warmupSteps + steps} steps each, interleaved step by step (tiny,
     * broadcast, dense, tiny, ...) so that the JVM's warm-up and the machine's load weigh on the
     * three alike.
     */
    Floors measure(int denseBytes) {
        List<Integer> indices = IntStream.range(0, workers).boxed().toList();
        JavaRDD<byte[]> blocks = sc.parallelize(indices, workers).map(i -> new byte[BLOCK_BYTES])
                .persist(StorageLevel.MEMORY_ONLY());
        blocks.count();
        List<Shape> shapes = List.of(new Shape(0, TINY_RESULT_BYTES), new Shape(SMALL_BROADCAST_BYTES, TINY_RESULT_BYTES),
                new Shape(denseBytes, denseBytes));
        try {
            for (int i = 0; i < warmupSteps + steps; i++) {
                for (Shape shape : shapes) {
                    shape.step(blocks, i >= warmupSteps);
                }
            }
            return new Floors(shapes.get(0).median(), shapes.get(1).median(), shapes.get(2).median(), workers,
                    tree.intermediateLevels(), SMALL_BROADCAST_BYTES, denseBytes);
        } finally {
            shapes.forEach(Shape::close);
            blocks.unpersist(false);
        }
    }

    /** One floor's job shape: tasks read a {@code broadcastBytes} broadcast (0: none) and ship {@code resultBytes}. */
    private final class Shape {

        private final byte[] content;
        private final int resultBytes;
        private final List<Double> measured = new ArrayList<>();
        private Broadcast<byte[]> downlink;

        Shape(int broadcastBytes, int resultBytes) {
            // Lamina's downlinks are floats, which Spark's broadcast compression cannot shrink; zeros it could.
            this.content = new byte[broadcastBytes];
            new Random(broadcastBytes).nextBytes(content);
            this.resultBytes = resultBytes;
            this.downlink = broadcastBytes > 0 ? sc.broadcast(content.clone()) : null;
        }

        void step(JavaRDD<byte[]> blocks, boolean measure) {
            long start = System.nanoTime();
            TreeReduce.of(tree, blocks.mapPartitions(new FloorTask(downlink, resultBytes)), KEEP_FIRST);
            if (downlink != null) { // as Lamina publishes the next downlink: the old one goes, a new one is made
                downlink.destroy(false);
                downlink = sc.broadcast(content.clone());
            }
            if (measure) {
                measured.add((System.nanoTime() - start) / 1e6);
            }
        }

        double median() {
            return Medians.of(measured.stream().mapToDouble(Double::doubleValue).toArray());
        }

        void close() {
            if (downlink != null) {
                downlink.destroy(false);
            }
        }
    }

    /** A floor step's task: reads its cached block and the broadcast, ships {@code resultBytes} bytes. */
    private static final class FloorTask implements FlatMapFunction<Iterator<byte[]>, byte[]> {

        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[]> downlink;
        private final int resultBytes;

        FloorTask(Broadcast<byte[]> downlink, int resultBytes) {
            this.downlink = downlink;
            this.resultBytes = resultBytes;
        }

        @Override
        public Iterator<byte[]> call(Iterator<byte[]> block) {
            int read = downlink == null ? 0 : downlink.value().length;
            while (block.hasNext()) {
                read += block.next().length;
            }
            byte[] result = new byte[resultBytes];
            result[0] = (byte) read; // the result depends on what was read, so nothing is skipped
            return List.of(result).iterator();
        }
    }
}
