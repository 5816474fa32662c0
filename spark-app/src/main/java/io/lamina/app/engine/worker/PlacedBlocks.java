package io.lamina.app.engine.worker;

import java.util.List;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The cached data blocks as the step jobs read them: each partition pinned to the executor that
 * holds its replica (set by the driver before each step; no pin lets Spark choose, by where the
 * block is cached), and read from the parent only by an executor that has not decoded the block
 * yet, so that a partition moved to another executor fetches its block once, not every step.
 * An executor that has the block yields one empty array in its place ({@link ReplicaRegistry#block}
 * ignores the bytes then).
 */
public final class PlacedBlocks extends RDD<byte[]> {

    private static final long serialVersionUID = 1L;
    private static final ClassTag<byte[]> BYTES = ClassTag$.MODULE$.apply(byte[].class);

    private final RDD<byte[]> parent;
    private final String runId;
    /** Per partition, Spark's location string of its executor, or null. Read on the driver only. */
    private transient volatile String[] locations;

    public PlacedBlocks(RDD<byte[]> parent, String runId) {
        super(parent, BYTES);
        this.parent = parent;
        this.runId = runId;
    }

    /** Pins the partitions for the next jobs (null entries: no pin). */
    public void pin(String[] locations) {
        this.locations = locations.clone();
    }

    @Override
    public Partition[] getPartitions() {
        return parent.partitions();
    }

    @Override
    public Seq<String> getPreferredLocations(Partition split) {
        String[] pins = locations;
        String pin = pins == null || split.index() >= pins.length ? null : pins[split.index()];
        // Empty: Spark falls back to the parent's, i.e. where the block is cached.
        return JavaConverters.asScalaBufferConverter(pin == null ? List.<String>of() : List.of(pin)).asScala().toSeq();
    }

    @Override
    public scala.collection.Iterator<byte[]> compute(Partition split, TaskContext context) {
        if (ReplicaRegistry.hasBlock(runId, split.index())) {
            return JavaConverters.asScalaIteratorConverter(List.of(new byte[0]).iterator()).asScala();
        }
        return parent.iterator(split, context);
    }
}
