package io.lamina.app.data;

import io.lamina.datasets.FeatureStats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * What one pass over a run of consecutive chunks learnt: examples per chunk, the training
 * examples' feature statistics, the largest label, and (LibSVM) the smallest and largest feature
 * index. Small: no examples, only figures. Travels as bytes of its own.
 */
final class ScanSummary {
    final int firstChunk;
    final long[] counts;
    final FeatureStats stats;
    final int maxLabel;
    final int minIndex;
    final int maxIndex;

    ScanSummary(int firstChunk, long[] counts, FeatureStats stats, int maxLabel, int minIndex, int maxIndex) {
        this.firstChunk = firstChunk;
        this.counts = counts;
        this.stats = stats;
        this.maxLabel = maxLabel;
        this.minIndex = minIndex;
        this.maxIndex = maxIndex;
    }

    /** One chunk's figures. */
    static ScanSummary ofChunk(int chunk, long count, FeatureStats stats, int maxLabel, int minIndex, int maxIndex) {
        return new ScanSummary(chunk, new long[] {count}, stats, maxLabel, minIndex, maxIndex);
    }

    /** This run followed by the next one ({@code next} must start where this one ends). */
    ScanSummary then(ScanSummary next) {
        if (next.firstChunk != firstChunk + counts.length) {
            throw new IllegalStateException("chunks " + firstChunk + "+" + counts.length + " then " + next.firstChunk);
        }
        long[] c = Arrays.copyOf(counts, counts.length + next.counts.length);
        System.arraycopy(next.counts, 0, c, counts.length, next.counts.length);
        return new ScanSummary(firstChunk, c, FeatureStats.merge(stats, next.stats), Math.max(maxLabel, next.maxLabel),
                Math.min(minIndex, next.minIndex), Math.max(maxIndex, next.maxIndex));
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(firstChunk);
            out.writeInt(counts.length);
            for (long c : counts) {
                out.writeLong(c);
            }
            out.writeInt(maxLabel);
            out.writeInt(minIndex);
            out.writeInt(maxIndex);
            byte[] s = stats.toBytes();
            out.writeInt(s.length);
            out.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ScanSummary fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int first = in.readInt();
            int n = in.readInt();
            if (first < 0 || n < 0 || 8L * n > bytes.length) {
                throw new IllegalArgumentException("scan summary claims " + n + " chunks in " + bytes.length + " bytes");
            }
            long[] counts = new long[n];
            for (int i = 0; i < n; i++) {
                counts[i] = in.readLong();
            }
            int maxLabel = in.readInt();
            int minIndex = in.readInt();
            int maxIndex = in.readInt();
            int len = in.readInt();
            if (len < 0 || len > bytes.length) {
                throw new IllegalArgumentException("scan summary claims statistics of " + len + " bytes");
            }
            byte[] s = in.readNBytes(len);
            return new ScanSummary(first, counts, FeatureStats.fromBytes(s), maxLabel, minIndex, maxIndex);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated scan summary", e);
        }
    }
}
