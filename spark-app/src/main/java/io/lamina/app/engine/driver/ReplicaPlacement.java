package io.lamina.app.engine.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which executor holds each partition's replica, and where its next step task should run.
 *
 * <p>Left to itself, Spark places a step task where the partition's cached block is. After an
 * executor dies, its partitions' blocks are rebuilt on a survivor and stay there: that executor
 * then runs two tasks one after the other every step, even once a replacement has registered.
 * This listener follows the step jobs' first-level tasks (which executor ran which partition) and
 * the executors that come and go. Before each step, {@link #plan} moves partitions from the
 * executor holding the most to the one holding the fewest until they differ by at most one, and
 * pins every partition to its executor ({@link io.lamina.app.engine.worker.PlacedBlocks}). A moved
 * partition's replica is rebuilt from a snapshot on its new executor: one rebuild per move.
 *
 * <p>Spark's listener bus is asynchronous, so what this knows may lag a step behind; it moves
 * nothing until every partition's executor is known, and ignores task ends older than a move.
 */
final class ReplicaPlacement extends SparkListener {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaPlacement.class);
    /** The local property that tells the listener which step a job belongs to. */
    static final String STEP_PROPERTY = "lamina.step";

    private final String group;
    /** Live executors: id -> host. */
    private final Map<String, String> hosts = new ConcurrentHashMap<>();
    /** Executors that ran a step task of this run, so may hold its replicas. */
    private final Set<String> used = ConcurrentHashMap.newKeySet();
    /** The first-level stage of each running step job -> its step; job id -> that stage. */
    private final Map<Integer, Long> stepOfStage = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> stageOfJob = new ConcurrentHashMap<>();
    /** Per partition, its replica's executor (null: not known); guarded by this. */
    private final String[] executorOf;
    /** Per partition, the step of its last move; task ends of earlier steps no longer place it. */
    private final long[] movedAt;
    private long moves;
    private long lostExecutors;

    ReplicaPlacement(String runId, int partitions) {
        this.group = runId + "-step";
        this.executorOf = new String[partitions];
        this.movedAt = new long[partitions];
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        java.util.Properties p = start.properties();
        if (p == null || !group.equals(p.getProperty("spark.jobGroup.id")) || p.getProperty(STEP_PROPERTY) == null) {
            return;
        }
        int first = Integer.MAX_VALUE; // the step tasks' stage: stages of lower levels get lower ids
        scala.collection.Iterator<Object> it = start.stageIds().iterator();
        while (it.hasNext()) {
            first = Math.min(first, (Integer) it.next());
        }
        stepOfStage.put(first, Long.parseLong(p.getProperty(STEP_PROPERTY)));
        stageOfJob.put(start.jobId(), first);
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
        Integer stage = stageOfJob.remove(end.jobId());
        if (stage != null) {
            stepOfStage.remove(stage);
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        Long step = stepOfStage.get(end.stageId());
        if (step != null && end.taskInfo().successful()) {
            taskRan(step, end.taskInfo().index(), end.taskInfo().executorId(), end.taskInfo().host());
        }
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded added) {
        executorAdded(added.executorId(), added.executorInfo().executorHost());
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        executorRemoved(removed.executorId());
    }

    /** Partition {@code p}'s step task of step {@code step} succeeded on {@code executor}. */
    synchronized void taskRan(long step, int p, String executor, String host) {
        hosts.putIfAbsent(executor, host);
        used.add(executor);
        if (p < executorOf.length && step >= movedAt[p]) {
            executorOf[p] = executor;
        }
    }

    void executorAdded(String executor, String host) {
        hosts.put(executor, host);
    }

    synchronized void executorRemoved(String executor) {
        hosts.remove(executor);
        boolean held = false;
        for (int p = 0; p < executorOf.length; p++) {
            if (executor.equals(executorOf[p])) {
                executorOf[p] = null; // its task will run wherever Spark finds room, and be placed from there
                held = true;
            }
        }
        if (held) {
            lostExecutors++;
        }
    }

    /**
     * Before step {@code step}: balances the partitions over the live executors and writes each
     * partition's pinned location into {@code locations} (Spark's {@code executor_<host>_<id>},
     * or null to let Spark choose). Returns how many partitions moved (each must rebuild).
     */
    synchronized int plan(long step, String[] locations) {
        Map<String, List<Integer>> held = new TreeMap<>(); // sorted: the same moves for the same state
        hosts.keySet().forEach(e -> held.put(e, new ArrayList<>()));
        boolean allKnown = true;
        for (int p = 0; p < executorOf.length; p++) {
            List<Integer> parts = executorOf[p] == null ? null : held.get(executorOf[p]);
            if (parts == null) {
                allKnown = false;
            } else {
                parts.add(p);
            }
        }
        int moved = 0;
        while (allKnown && held.size() > 1) {
            String most = null;
            String fewest = null;
            for (Map.Entry<String, List<Integer>> e : held.entrySet()) {
                if (most == null || e.getValue().size() > held.get(most).size()) {
                    most = e.getKey();
                }
                if (fewest == null || e.getValue().size() < held.get(fewest).size()) {
                    fewest = e.getKey();
                }
            }
            if (held.get(most).size() - held.get(fewest).size() <= 1) {
                break;
            }
            List<Integer> from = held.get(most);
            int p = from.remove(from.size() - 1);
            held.get(fewest).add(p);
            executorOf[p] = fewest;
            movedAt[p] = step;
            moved++;
            LOG.info("step {}: partition {} moves from executor {} to executor {} (rebuilt there from a snapshot)",
                    step, p, most, fewest);
        }
        moves += moved;
        for (int p = 0; p < locations.length; p++) {
            String host = executorOf[p] == null ? null : hosts.get(executorOf[p]);
            locations[p] = host == null ? null : "executor_" + host + "_" + executorOf[p];
        }
        return moved;
    }

    /** Executors that ran this run's step tasks and are still alive: id -> host. */
    Map<String, String> executorsWithReplicas() {
        Map<String, String> out = new TreeMap<>();
        for (String e : used) {
            String host = hosts.get(e);
            if (host != null) {
                out.put(e, host);
            }
        }
        return out;
    }

    synchronized long moves() {
        return moves;
    }

    /** Executors lost while they held a replica of this run. */
    synchronized long lostExecutors() {
        return lostExecutors;
    }
}
