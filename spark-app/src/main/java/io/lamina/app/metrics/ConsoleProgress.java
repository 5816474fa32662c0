package io.lamina.app.metrics;

import io.lamina.app.engine.driver.StepListener;
import io.lamina.app.engine.driver.StepRecord;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a progress line at most every {@code intervalSeconds} (and on evaluations and the last
 * step): step, epoch, loss, samples/s over the recent window, step overhead, bytes per step, ETA.
 */
public final class ConsoleProgress implements StepListener {

    private final PrintStream out;
    private final long totalSteps;
    private final int stepsPerEpoch;
    private final long intervalNanos;
    private final long startNanos = System.nanoTime();
    private long lastPrint = System.nanoTime();
    private long windowExamples;
    private double windowWallMs;
    private double windowOverheadMs;
    private int windowSteps;
    private long windowBytes;
    private long denseBytesPerStep;

    public ConsoleProgress(PrintStream out, long totalSteps, int stepsPerEpoch, double intervalSeconds) {
        this.out = out;
        this.totalSteps = totalSteps;
        this.stepsPerEpoch = stepsPerEpoch;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    /** Uplink bytes per step of the uncompressed baseline, to show the compression ratio (0 = unknown). */
    public void setDenseBytesPerStep(long bytes) {
        this.denseBytesPerStep = bytes;
    }

    @Override
    public void onStep(StepRecord r) {
        windowExamples += r.examples();
        windowWallMs += r.wallMs();
        windowOverheadMs += r.overheadMs();
        windowBytes += r.uplinkBytes();
        windowSteps++;
        long now = System.nanoTime();
        boolean last = r.step() + 1 == totalSteps;
        if (now - lastPrint < intervalNanos && !last && r.testAccuracy() == null) {
            return;
        }
        double sps = windowExamples / (windowWallMs / 1000.0);
        double elapsed = (now - startNanos) / 1e9;
        double eta = elapsed / (r.step() + 1) * (totalSteps - r.step() - 1);
        double upPerStep = (double) windowBytes / windowSteps;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "step %d/%d  epoch %d/%d  loss %.4f  %.0f samples/s  overhead %.1f ms/step  up %s/step",
                r.step() + 1, totalSteps, r.epoch() + 1, (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch, r.loss(),
                sps, windowOverheadMs / windowSteps, bytes(upPerStep)));
        if (denseBytesPerStep > 0) {
            line.append(String.format(Locale.ROOT, " (%.1fx)", denseBytesPerStep / upPerStep));
        }
        line.append(String.format(Locale.ROOT, "  ETA %s", time(eta)));
        if (r.testAccuracy() != null) {
            line.append(String.format(Locale.ROOT, "  test acc %.2f%% loss %.4f", 100 * r.testAccuracy(), r.testLoss()));
        }
        out.println(line);
        out.flush();
        lastPrint = now;
        windowExamples = 0;
        windowWallMs = 0;
        windowOverheadMs = 0;
        windowBytes = 0;
        windowSteps = 0;
    }

    static String bytes(double b) {
        if (b >= 1 << 20) {
            return String.format(Locale.ROOT, "%.2f MB", b / (1 << 20));
        }
        if (b >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KB", b / (1 << 10));
        }
        return String.format(Locale.ROOT, "%.0f B", b);
    }

    static String time(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
