package io.lamina.app.engine.worker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fault injection for tests, in local mode (the tasks run in the test's JVM). Disarmed by
 * default; nothing in production arms it. Each fault fires once:
 * <ul>
 *   <li>{@link #failOnceAfterWork}: the first task of a step to finish its work (message
 *       computed, residuals updated, message cached) throws, as an executor dying after the
 *       work would, and Spark reruns it;</li>
 *   <li>{@link #dropReplicaBeforeRound}: a partition's replica disappears just before a round
 *       of a step, as when its executor is lost between two rounds;</li>
 *   <li>{@link #poisonGradient}: a partition's gradient gets a NaN at one element;</li>
 *   <li>{@link #strayReplicaBeforeStep}: a partition's replica is replaced, just before a step, by
 *       an identical one the driver has not heard from, as a speculative copy of a task leaves
 *       on another executor.</li>
 * </ul>
 * and {@link #delayTasks} makes every task sleep a pseudo-random time first, so that tasks finish
 * in a different order from run to run.
 */
public final class TaskFaults {

    /** (step, round, partition) of an armed replica drop. */
    private record At(long step, int round, int partition) {
    }

    /** (step, partition, element) of an armed NaN. */
    private record Poison(long step, int partition, int element) {
    }

    private static final AtomicLong FAIL_ONCE_AT_STEP = new AtomicLong(-1);
    private static final AtomicLong INJECTED = new AtomicLong();
    private static final AtomicReference<At> DROP = new AtomicReference<>();
    private static final AtomicReference<Poison> POISON = new AtomicReference<>();
    private static final AtomicReference<At> STRAY = new AtomicReference<>();
    /** Seed and maximum of the task delays (maximum 0 = off). */
    private static final AtomicLong DELAY_SEED = new AtomicLong();
    private static final AtomicLong DELAY_MAX_MILLIS = new AtomicLong();

    private TaskFaults() {
    }

    /** Arms one failure after the work of step {@code step}. */
    public static void failOnceAfterWork(long step) {
        FAIL_ONCE_AT_STEP.set(step);
    }

    /** Arms the loss of partition {@code partition}'s replica just before round {@code round} of step {@code step}. */
    public static void dropReplicaBeforeRound(long step, int round, int partition) {
        DROP.set(new At(step, round, partition));
    }

    /** Arms a NaN in partition {@code partition}'s gradient at element {@code element} of step {@code step}. */
    public static void poisonGradient(long step, int partition, int element) {
        POISON.set(new Poison(step, partition, element));
    }

    /** Arms a stray replica in place of partition {@code partition}'s just before step {@code step}. */
    public static void strayReplicaBeforeStep(long step, int partition) {
        STRAY.set(new At(step, 0, partition));
    }

    /** Makes every step task sleep up to {@code maxMillis} first, drawn from {@code seed}; 0 turns it off. */
    public static void delayTasks(long seed, int maxMillis) {
        DELAY_SEED.set(seed);
        DELAY_MAX_MILLIS.set(maxMillis);
    }

    /** How many faults have fired in this JVM so far. */
    public static long injected() {
        return INJECTED.get();
    }

    static void maybeFail(long step) {
        if (FAIL_ONCE_AT_STEP.get() == step && FAIL_ONCE_AT_STEP.compareAndSet(step, -1)) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("injected task failure after the work of step " + step);
        }
    }

    static void beforeRound(String runId, long step, int round, int partition) {
        long max = DELAY_MAX_MILLIS.get();
        if (max > 0) {
            long h = new java.util.SplittableRandom(DELAY_SEED.get() ^ (step * 31 + round) * 1_000_003 ^ partition)
                    .nextLong(max + 1);
            try {
                Thread.sleep(h);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        At stray = STRAY.get();
        if (stray != null && stray.equals(new At(step, round, partition)) && STRAY.compareAndSet(stray, null)) {
            Replica r = ReplicaRegistry.replica(runId, partition);
            if (r != null) {
                INJECTED.incrementAndGet();
                r.takeNewId();
            }
        }
        At at = DROP.get();
        if (at != null && at.equals(new At(step, round, partition)) && DROP.compareAndSet(at, null)) {
            INJECTED.incrementAndGet();
            ReplicaRegistry.drop(runId, partition);
        }
    }

    static void maybePoison(long step, int partition, float[] gradient) {
        Poison at = POISON.get();
        if (at != null && at.step() == step && at.partition() == partition && POISON.compareAndSet(at, null)) {
            INJECTED.incrementAndGet();
            gradient[at.element()] = Float.NaN;
        }
    }
}
