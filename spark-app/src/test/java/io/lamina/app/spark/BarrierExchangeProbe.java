package io.lamina.app.spark;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import scala.runtime.AbstractFunction1;

/**
 * Measures the two ways a training step could exchange its messages, on cached blocks of one
 * partition per worker: one Spark job per step (mapPartitions + reduce of a {@code byte[]}, the
 * shape of Lamina's per-step tree exchange) against one barrier stage ({@code rdd.barrier().mapPartitions})
 * whose tasks call {@link BarrierTaskContext#allGather} once per step (the exchange issue 14
 * proposed). {@code allGather} takes strings, so messages travel as Base64 or as ISO-8859-1 text
 * (one char per byte). docs/PERFORMANCE.md, "Barrier exchange: measured", holds the figures and
 * the verdict; rerun this after a Spark upgrade:
 *
 * <pre>
 * mvn -B -o -q -pl spark-app -am -DskipTests test-compile
 * java $(spark.jvm.flags of the parent POM) \
 *     -cp spark-app/target/test-classes:spark-app/target/classes:$(cat spark-dist/target/spark-classpath.txt) \
 *     io.lamina.app.spark.BarrierExchangeProbe [jobSteps=150] [barrierSteps=20] [master=local[2]]
 * </pre>
 */
public final class BarrierExchangeProbe {

    /** A dense MLP gradient (784-256-128-10: 235,146 floats) in bytes. */
    static final int DENSE_MLP_BYTES = 235_146 * Float.BYTES;

    private BarrierExchangeProbe() {
    }

    /** How a message becomes the String {@code allGather} takes, and back. */
    enum Encoding {
        BASE64, LATIN1;

        String encode(byte[] b) {
            return this == BASE64 ? Base64.getEncoder().encodeToString(b) : new String(b, StandardCharsets.ISO_8859_1);
        }

        byte[] decode(String s) {
            return this == BASE64 ? Base64.getDecoder().decode(s) : s.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** Two cached blocks of 1 MiB, built on the executors (so no task carries its data). */
    static JavaRDD<byte[]> cachedBlocks(JavaSparkContext sc, int partitions) {
        JavaRDD<byte[]> blocks = sc.parallelize(java.util.stream.IntStream.range(0, partitions).boxed().toList(), partitions)
                .map(i -> new byte[1 << 20]).persist(StorageLevel.MEMORY_ONLY());
        blocks.count();
        return blocks;
    }

    /** Per step, the driver's wall time of one job: every partition ships {@code size} bytes, reduced to one. */
    static double[] perJobSteps(JavaRDD<byte[]> blocks, int steps, int size) {
        double[] ms = new double[steps];
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            byte[] merged = blocks.mapPartitions(it -> {
                while (it.hasNext()) {
                    it.next();
                }
                return List.of(message(TaskContext.getPartitionId(), size)).iterator();
            }).reduce(BarrierExchangeProbe::xor);
            ms[s] = (System.nanoTime() - t0) / 1e6;
            if (merged.length != size) {
                throw new IllegalStateException("reduced " + merged.length + " bytes, expected " + size);
            }
        }
        return ms;
    }

    /**
     * One barrier stage of {@code steps} allGathers of {@code size} bytes per task; returns the
     * stage's wall time per step as the driver sees it (launch and collection included).
     */
    static double allGatherStepMs(JavaRDD<byte[]> blocks, int steps, int size, Encoding encoding) {
        long t0 = System.nanoTime();
        List<Integer> gathered = blocks.rdd().barrier()
                .mapPartitions(new GatherSteps(steps, size, encoding), false, scala.reflect.ClassTag$.MODULE$.apply(Integer.class))
                .toJavaRDD().collect();
        double wall = (System.nanoTime() - t0) / 1e6;
        int partitions = blocks.getNumPartitions();
        for (int n : gathered) {
            if (n != steps * partitions) {
                throw new IllegalStateException("a task received " + n + " messages, expected " + steps * partitions);
            }
        }
        return wall / steps;
    }

    /** The task body of {@link #allGatherStepMs}: returns how many messages of the right size it received. */
    private static final class GatherSteps extends AbstractFunction1<scala.collection.Iterator<byte[]>,
            scala.collection.Iterator<Integer>> implements Serializable {

        private static final long serialVersionUID = 1L;
        private final int steps;
        private final int size;
        private final Encoding encoding;

        GatherSteps(int steps, int size, Encoding encoding) {
            this.steps = steps;
            this.size = size;
            this.encoding = encoding;
        }

        @Override
        public scala.collection.Iterator<Integer> apply(scala.collection.Iterator<byte[]> blocks) {
            while (blocks.hasNext()) {
                blocks.next();
            }
            BarrierTaskContext ctx = BarrierTaskContext.get();
            byte[] mine = message(ctx.partitionId(), size);
            int received = 0;
            for (int s = 0; s < steps; s++) {
                byte[] merged = new byte[size];
                for (String m : ctx.allGather(encoding.encode(mine))) {
                    byte[] b = encoding.decode(m);
                    received += b.length == size ? 1 : 0;
                    merged = xor(merged, b);
                }
            }
            return scala.collection.JavaConverters.asScalaIterator(List.of(received).iterator());
        }
    }

    /** Random bytes (compressed messages look random), different per partition. */
    static byte[] message(int partition, int size) {
        byte[] m = new byte[size];
        SplittableRandom r = new SplittableRandom(partition);
        for (int i = 0; i < size; i++) {
            m[i] = (byte) r.nextInt(256);
        }
        return m;
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = a.clone();
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            out[i] ^= b[i];
        }
        return out;
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    /** Median time of encoding and decoding {@code size} bytes, and the Java-serialized size of the String (what the RPC ships). */
    static String codecCost(Encoding e, int size) {
        byte[] m = message(0, size);
        double[] ms = new double[31];
        String s = null;
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            s = e.encode(m);
            byte[] back = e.decode(s);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (back.length != size) {
                throw new IllegalStateException(e + " lost bytes");
            }
        }
        return String.format(Locale.ROOT, "%s: encode + decode %.2f ms, %,d bytes Java-serialized (%.2fx)", e,
                median(ms), javaSerializedSize(s), javaSerializedSize(s) / (double) size);
    }

    private static int javaSerializedSize(String s) {
        try (java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(s);
            out.flush();
            return bytes.size();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        int jobSteps = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        int barrierSteps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String master = args.length > 2 ? args[2] : "local[2]";
        SparkConf conf = SparkContexts.configure(new SparkConf(), master, "barrier-exchange-probe")
                .set("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            JavaRDD<byte[]> blocks = cachedBlocks(sc, 2);
            int[] sizes = {100, 19_000, DENSE_MLP_BYTES};
            for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT and Spark up
                StringBuilder table = new StringBuilder("| message bytes | per-step job, median ms | allGather Base64, ms per step"
                        + " | allGather ISO-8859-1, ms per step |\n|---|---|---|---|\n");
                for (int size : sizes) {
                    double job = median(perJobSteps(blocks, pass == 0 ? 20 : jobSteps, size));
                    double b64 = allGatherStepMs(blocks, pass == 0 ? 2 : barrierSteps, size, Encoding.BASE64);
                    double l1 = allGatherStepMs(blocks, pass == 0 ? 2 : barrierSteps, size, Encoding.LATIN1);
                    table.append(String.format(Locale.ROOT, "| %,d | %.2f | %.1f | %.1f |%n", size, job, b64, l1));
                }
                if (pass == 1) {
                    System.out.printf("%s, 2 partitions, %d job steps, %d allGather steps per stage%n%n%s%n", master,
                            jobSteps, barrierSteps, table);
                }
            }
            for (Encoding e : Encoding.values()) {
                System.out.println(codecCost(e, DENSE_MLP_BYTES));
            }
        }
    }
}
