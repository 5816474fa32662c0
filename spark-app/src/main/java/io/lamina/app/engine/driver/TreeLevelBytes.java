package io.lamina.app.engine.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Bytes that cross each level of the aggregation tree, from Spark's own task metrics for the
 * step jobs (job group {@code <runId>-step}): a step's job is a chain of stages, one
 * per tree level; what a level sends up is its tasks' shuffle output, and for the last level the
 * task results that reach the driver. Level 0 is the workers' messages.
 */
final class TreeLevelBytes extends SparkListener {

    private final String group;
    /** Stage id -> bytes sent up by that stage's tasks. */
    private final Map<Integer, Long> bytesByStage = new ConcurrentHashMap<>();
    /** Stage ids of step jobs, kept in job order: job id -> its stage ids ascending. */
    private final Map<Integer, List<Integer>> stagesByJob = new ConcurrentHashMap<>();

    TreeLevelBytes(String runId) {
        this.group = runId + "-step";
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        java.util.Properties p = start.properties();
        if (p != null && group.equals(p.getProperty("spark.jobGroup.id"))) {
            List<Integer> ids = new ArrayList<>();
            scala.collection.Iterator<Object> it = start.stageIds().iterator();
            while (it.hasNext()) {
                ids.add((Integer) it.next());
            }
            ids.sort(null);
            stagesByJob.put(start.jobId(), ids);
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskMetrics() == null || !"Success".equals(String.valueOf(end.reason()))) {
            return;
        }
        long bytes = end.taskMetrics().shuffleWriteMetrics().bytesWritten() + end.taskMetrics().resultSize();
        bytesByStage.merge(end.stageId(), bytes, Long::sum);
    }

    /** Totals per level over all step jobs so far (waits for Spark's listener bus to drain). */
    List<Long> totals(SparkContext sc) {
        try {
            sc.listenerBus().waitUntilEmpty(10_000);
        } catch (java.util.concurrent.TimeoutException e) {
            // report what has arrived; the counts of the last steps may be missing
        }
        TreeMap<Integer, Long> byLevel = new TreeMap<>();
        for (List<Integer> stages : stagesByJob.values()) {
            int level = 0;
            for (int stage : stages) {
                Long b = bytesByStage.get(stage);
                if (b != null) { // stages skipped by Spark (none here) carry no tasks
                    byLevel.merge(level++, b, Long::sum);
                }
            }
        }
        return new ArrayList<>(byLevel.values());
    }
}
