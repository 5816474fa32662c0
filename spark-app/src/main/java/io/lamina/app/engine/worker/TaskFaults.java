package io.lamina.app.engine.worker;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault injection for tests of Spark's task retries: when armed for a step, the first task of
 * that step to finish its work (message computed, residuals updated, message cached) throws,
 * exactly as an executor dying after the work would, and Spark reruns it. Disarmed by default;
 * nothing in production arms it.
 */
public final class TaskFaults {

    private static final AtomicLong FAIL_ONCE_AT_STEP = new AtomicLong(-1);
    private static final AtomicLong INJECTED = new AtomicLong();

    private TaskFaults() {
    }

    /** Arms one failure after the work of step {@code step} (local mode: same JVM as the tasks). */
    public static void failOnceAfterWork(long step) {
        FAIL_ONCE_AT_STEP.set(step);
    }

    /** How many failures have been injected in this JVM so far. */
    public static long injected() {
        return INJECTED.get();
    }

    static void maybeFail(long step) {
        if (FAIL_ONCE_AT_STEP.get() == step && FAIL_ONCE_AT_STEP.compareAndSet(step, -1)) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("injected task failure after the work of step " + step);
        }
    }
}
