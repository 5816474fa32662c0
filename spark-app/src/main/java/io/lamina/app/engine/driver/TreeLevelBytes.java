package io.lamina.app.engine.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Bytes that cross each level of the aggregation tree, from Spark's own task metrics for the
 * step jobs (job group {@code <runId>-step}): a step's job is a chain of stages, one per tree
 * level; what a level sends up is its tasks' shuffle output, and for the last level the task
 * results that reach the driver. Level 0 is the workers' messages.
 *
 * <p>It lives as long as a run in a context that may live much longer (a notebook's): it ignores
 * every other job, and what it keeps does not grow with the steps (totals per level, and the
 * stages of the step jobs still running).
 */
final class TreeLevelBytes extends SparkListener {

    private static final int MAX_LEVELS = 64;

    private final String group;
    /** Stage id -> its tree level, for the step jobs that are running. */
    private final Map<Integer, Integer> levelOfStage = new ConcurrentHashMap<>();
    /** Job id -> its stage ids, to forget them when the job ends. */
    private final Map<Integer, List<Integer>> stagesOfJob = new ConcurrentHashMap<>();
    private final AtomicLongArray bytesByLevel = new AtomicLongArray(MAX_LEVELS);

    TreeLevelBytes(String runId) {
        this.group = runId + "-step";
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        java.util.Properties p = start.properties();
        if (p == null || !group.equals(p.getProperty("spark.jobGroup.id"))) {
            return;
        }
        List<Integer> ids = new ArrayList<>();
        scala.collection.Iterator<Object> it = start.stageIds().iterator();
        while (it.hasNext()) {
            ids.add((Integer) it.next());
        }
        ids.sort(null); // a level's stage is submitted after the one below it: ids ascend with the levels
        for (int level = 0; level < ids.size() && level < MAX_LEVELS; level++) {
            levelOfStage.put(ids.get(level), level);
        }
        stagesOfJob.put(start.jobId(), ids);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        Integer level = levelOfStage.get(end.stageId());
        if (level == null || end.taskMetrics() == null || !"Success".equals(String.valueOf(end.reason()))) {
            return;
        }
        bytesByLevel.addAndGet(level,
                end.taskMetrics().shuffleWriteMetrics().bytesWritten() + end.taskMetrics().resultSize());
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
        List<Integer> stages = stagesOfJob.remove(end.jobId());
        if (stages != null) {
            stages.forEach(levelOfStage::remove);
        }
    }

    /** Totals per level over all step jobs so far (waits for Spark's listener bus to drain). */
    List<Long> totals(SparkContext sc) {
        try {
            sc.listenerBus().waitUntilEmpty(10_000);
        } catch (java.util.concurrent.TimeoutException e) {
            // report what has arrived; the counts of the last steps may be missing
        }
        List<Long> out = new ArrayList<>();
        for (int level = 0; level < MAX_LEVELS && bytesByLevel.get(level) > 0; level++) {
            out.add(bytesByLevel.get(level));
        }
        return out;
    }
}
