package io.lamina.app.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * The one distributed pass over a chunked data set: every chunk is scanned on an executor into a
 * {@link ScanSummary}, and the summaries are merged in a two-level tree (groups of about
 * sqrt(chunks) consecutive chunks on the executors, the groups on the driver), always in chunk
 * order: floating-point merges are not associative, and the same data must give the same
 * normaliser to the last bit, however tasks are scheduled. Only figures travel, never examples.
 */
final class ChunkScan {

    /** Scans one chunk on an executor. */
    interface Scanner extends Serializable {
        ScanSummary scan(int chunk);
    }

    private ChunkScan() {
    }

    static ScanSummary run(JavaSparkContext sc, int chunks, Scanner scanner, String description) {
        List<Integer> ids = IntStream.range(0, chunks).boxed().collect(Collectors.toList());
        int slices = Math.max(1, Math.min(chunks, 4 * sc.defaultParallelism()));
        return merge(sc, sc.parallelize(ids, slices).map(c -> scanner.scan(c).toBytes()), chunks, description);
    }

    /** Merges one summary per chunk ({@link ScanSummary#toBytes}), {@code chunks} in all, in chunk order. */
    static ScanSummary merge(JavaSparkContext sc, JavaRDD<byte[]> perChunk, int chunks, String description) {
        int group = (int) Math.ceil(Math.sqrt(chunks));
        int groups = (chunks + group - 1) / group;
        sc.setJobDescription("lamina: " + description);
        try {
            List<byte[]> partial = DataErrors.unwrapped(() -> perChunk
                    .mapToPair(b -> new Tuple2<>(ScanSummary.fromBytes(b).firstChunk / group, b))
                    .groupByKey(Math.max(1, Math.min(groups, perChunk.getNumPartitions())))
                    .map(g -> inOrder(g._2()).toBytes())
                    .collect());
            return inOrder(partial);
        } finally {
            sc.setJobDescription(null);
        }
    }

    /** The summaries, sorted by their first chunk, merged one after another. */
    private static ScanSummary inOrder(Iterable<byte[]> summaries) {
        List<ScanSummary> list = new ArrayList<>();
        summaries.forEach(b -> list.add(ScanSummary.fromBytes(b)));
        list.sort(Comparator.comparingInt(s -> s.firstChunk));
        ScanSummary all = list.get(0);
        for (int i = 1; i < list.size(); i++) {
            all = all.then(list.get(i));
        }
        return all;
    }
}
