package io.lamina.app.engine.driver;

import io.lamina.app.engine.protocol.MergeTree;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * How a step's task results reach the driver: summed in the {@link MergeTree}'s groups of
 * consecutive partitions on the executors, level by level, and the rest on the driver, as
 * Spark's treeReduce would, but in a fixed order whatever order the tasks finish in. The step
 * exchange sums with {@code AggregateMerger}; {@code lamina bench}'s Spark floor runs the same
 * shape with a merge that does nothing, so the floor stays the job Lamina runs.
 */
public final class TreeReduce {

    private TreeReduce() {
    }

    /** The results of {@code shipped}'s partitions merged by {@code merge} along {@code tree}. */
    public static byte[] of(MergeTree tree, JavaRDD<byte[]> shipped, Function2<byte[], byte[], byte[]> merge) {
        JavaRDD<byte[]> level = shipped;
        if (tree.intermediateLevels() > 0) {
            // Keyed by the group at the level below (level 0: the partition that shipped it), so
            // the bytes are not decoded to find it; one level up is group(key, 1).
            JavaPairRDD<Integer, byte[]> groups = shipped.mapToPair(a -> new Tuple2<>(TaskContext.getPartitionId(), a));
            for (int l = 1; l <= tree.intermediateLevels(); l++) {
                groups = groups.mapToPair(g -> new Tuple2<>(tree.group(g._1(), 1), g._2()))
                        .reduceByKey(merge, tree.groups(l));
            }
            level = groups.values();
        }
        return level.reduce(merge);
    }
}
