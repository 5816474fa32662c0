package io.lamina.datasets;

import java.util.ArrayList;
import java.util.List;

/**
 * Which examples each of {@code parts} workers takes when a data set is stored as numbered chunks
 * (byte ranges of files, record ranges, a Dataset's partitions) of known example counts.
 *
 * <p>The chunks are put in an order (a permutation seeded by {@code seed}, so that every worker
 * gets pieces from all over the files; or their stored order, for a test set) and their examples,
 * concatenated in that order, are cut into {@code parts} contiguous runs whose sizes differ by at
 * most one. Every example lands in exactly one part, and part {@code p}'s slices depend only on the
 * counts, {@code parts}, {@code seed} and {@code p}: any JVM computes the same.
 */
public final class ChunkPlan {
    private static final long CHUNK_STREAM = 0x4348554e4bL; // "CHUNK"

    /** Examples {@code from} (inclusive) to {@code to} (exclusive) of chunk {@code chunk}, in stored order. */
    public record Slice(int chunk, long from, long to) implements java.io.Serializable {
        public long size() {
            return to - from;
        }
    }

    private ChunkPlan() {
    }

    /** Each part's slices, in the order its examples are taken. */
    public static List<List<Slice>> cut(long[] counts, int parts, long seed, boolean shuffle) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be >= 1, got " + parts);
        }
        int[] order = shuffle ? new SeededRandom(SeededRandom.derive(seed, CHUNK_STREAM)).permutation(counts.length)
                : identity(counts.length);
        long total = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative chunk count " + c);
            }
            total += c;
        }
        List<List<Slice>> result = new ArrayList<>(parts);
        int k = 0; // position in order
        long used = 0; // examples of chunk order[k] already given out
        for (int p = 0; p < parts; p++) {
            long want = partSize(total, parts, p);
            List<Slice> slices = new ArrayList<>();
            while (want > 0) {
                int chunk = order[k];
                long take = Math.min(want, counts[chunk] - used);
                if (take > 0) {
                    slices.add(new Slice(chunk, used, used + take));
                    used += take;
                    want -= take;
                }
                if (used == counts[chunk]) {
                    k++;
                    used = 0;
                }
            }
            result.add(slices);
        }
        return result;
    }

    /** Size of part {@code p} when {@code n} items are cut into {@code parts} near-equal runs (the first n % parts get one more). */
    public static long partSize(long n, int parts, int p) {
        return n / parts + (p < n % parts ? 1 : 0);
    }

    /** Index, in stored order over all chunks, of each chunk's first example. */
    public static long[] firstIndices(long[] counts) {
        long[] first = new long[counts.length];
        long sum = 0;
        for (int c = 0; c < counts.length; c++) {
            first[c] = sum;
            sum += counts[c];
        }
        return first;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}
