package io.lamina.app.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/** Sums the serialized sizes of task results Spark receives (what crosses from executors). */
final class ResultSizeListener extends SparkListener {

    private final AtomicLong total;

    ResultSizeListener(AtomicLong total) {
        this.total = total;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskMetrics() != null) {
            total.addAndGet(end.taskMetrics().resultSize());
        }
    }
}
