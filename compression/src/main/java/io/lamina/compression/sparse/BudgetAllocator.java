package io.lamina.compression.sparse;

import io.lamina.compression.Layout;
import io.lamina.compression.Segment;
import java.util.Arrays;

/**
 * Chooses how many of its largest entries each segment sends so that the total squared error
 * {@code sum_j ||g_j - TopK_{k_j}(g_j)||^2} is least while {@code sum_j cost_j(k_j) <= budget}
 * ({@link TopKWireCost}: an entry of segment j costs {@code c_j}, the first one {@code o_j} more).
 * The rule and how close to exact it is are in {@link BudgetTopKCompressor}'s javadoc; this class
 * is the mechanics.
 *
 * <p><b>Moves.</b> An entry's density is {@code g_i^2 / c_j}. Opening a segment takes its best
 * prefix at once (a <em>bundle</em>: the m largest entries maximising {@code S(m) / (o_j + m c_j)},
 * S the sum of their squares); every later entry of an open segment is a move of its own. Moves are
 * taken in descending density while they fit (the threshold phase); from the first that does not
 * fit on, the rest of the list is scanned for moves that still fit (the fill phase; a bundle that
 * does not fit may open the segment with a shorter prefix).
 *
 * <p><b>Cost.</b> Keys {@code (float) density} for all n elements (one pass), an exact selection
 * of the m largest ({@link TopKSelector}, O(n)) with m one more than the most entries the budget
 * could buy, and a sort of those m only: O(n + m log m). Non-candidates have keys at most the
 * smallest candidate key, so moves denser than that are in their true order; if the threshold
 * phase reaches a move that is not (closed segments' entries crowded the candidates), m grows
 * fourfold and the step is planned again; at m = n everything is a candidate.
 */
final class BudgetAllocator {

    /**
     * An allocation: {@code k} per segment and its cost {@code units} (empty messages included).
     * The threshold phase's own allocation, its cost and the value (sum of squares) of the move
     * that ended it (0 if none did) are kept for the optimality tests.
     */
    record Plan(int[] k, long units, int[] thresholdK, long thresholdUnits, double rejectedValue) {
    }

    private final Layout layout;
    private final TopKWireCost[] costs;
    private final int[] segmentOf;
    private final long floor;
    private float[] keys;

    BudgetAllocator(Layout layout, TopKWireCost[] costs) {
        if (costs.length != layout.size()) {
            throw new IllegalArgumentException(costs.length + " costs for " + layout.size() + " segments");
        }
        this.layout = layout;
        this.costs = costs.clone();
        this.segmentOf = new int[layout.totalLength()];
        long f = 0;
        for (int j = 0; j < layout.size(); j++) {
            Segment s = layout.get(j);
            Arrays.fill(segmentOf, s.offset(), s.end(), j);
            f += costs[j].empty();
        }
        this.floor = f;
    }

    /** The units every segment's empty message takes together: the least a step can cost. */
    long floorUnits() {
        return floor;
    }

    /** The allocation for {@code values} (the whole layout, segment j at its offset) within {@code budgetUnits}. */
    Plan allocate(float[] values, long budgetUnits) {
        int n = layout.totalLength();
        if (values.length < n) {
            throw new IllegalArgumentException("values hold " + values.length + " floats, the layout " + n);
        }
        if (budgetUnits < floor) {
            throw new IllegalArgumentException("a budget of " + budgetUnits + " units is below the "
                    + floor + " units of the empty messages");
        }
        if (keys == null) {
            keys = new float[n];
        }
        int[] nonZero = new int[costs.length];
        for (int i = 0; i < n; i++) {
            keys[i] = (float) density(values, i);
            nonZero[segmentOf[i]] += values[i] != 0 ? 1 : 0;
        }
        long everything = 0;
        for (int j = 0; j < costs.length; j++) {
            everything += costs[j].units(nonZero[j]);
        }
        if (everything <= budgetUnits) { // every non-zero fits: nothing to choose
            return new Plan(nonZero, everything, nonZero.clone(), everything, 0);
        }
        long minEntry = Long.MAX_VALUE;
        for (TopKWireCost c : costs) {
            minEntry = Math.min(minEntry, c.entry());
        }
        int m = (int) Math.min(n, (budgetUnits - floor) / minEntry + 1);
        while (true) {
            Plan p;
            if (m >= n) {
                int[] all = new int[n];
                Arrays.setAll(all, i -> i);
                p = scan(values, all, Double.NEGATIVE_INFINITY, budgetUnits);
            } else {
                Selection s = TopKSelector.select(keys, 0, n, m);
                float cutoff = Float.POSITIVE_INFINITY;
                for (int c = 0; c < s.count; c++) {
                    cutoff = Math.min(cutoff, s.values[c]);
                }
                p = scan(values, Arrays.copyOf(s.indices, s.count), Math.nextUp(cutoff), budgetUnits);
            }
            if (p != null) {
                return p;
            }
            m = (int) Math.min(n, 4L * m);
        }
    }

    /** {@code g_i^2 / c_j}; a non-finite value ranks first (as Top-k ranks it). */
    private double density(float[] values, int i) {
        double g = values[i];
        return Double.isFinite(g) ? g * g / costs[segmentOf[i]].entry() : Double.POSITIVE_INFINITY;
    }

    /**
     * Both phases over the candidates {@code cand} (global indices); moves at most {@code certain}
     * dense are not known to be in order against the non-candidates: null if the threshold phase
     * reaches one (or runs out of moves while there are non-candidates).
     */
    private Plan scan(float[] values, int[] cand, double certain, long budgetUnits) {
        boolean complete = certain == Double.NEGATIVE_INFINITY;
        int live = 0;
        int[] index = new int[cand.length];
        double[] dens = new double[cand.length];
        for (int c = 0; c < cand.length; c++) {
            double d = density(values, cand[c]);
            if (d != 0) { // an exact zero lowers no error
                index[live] = cand[c];
                dens[live++] = d;
            }
        }
        int[] sorted = descending(dens, live);
        for (int r = 0; r < live; r++) {
            sorted[r] = index[sorted[r]];
        }
        Moves moves = new Moves(sorted, values);
        int s = costs.length;
        int[] k = new int[s];
        long remaining = budgetUnits - floor;
        int t = 0;
        for (; t < moves.size; t++) {
            int i = moves.order[t];
            if (!(moves.density[i] > certain)) {
                return null;
            }
            if (moves.cost[i] > remaining) {
                break;
            }
            k[moves.segment[i]] += moves.count[i];
            remaining -= moves.cost[i];
        }
        if (t == moves.size && !complete) {
            return null;
        }
        int[] thresholdK = k.clone();
        long thresholdUnits = budgetUnits - remaining;
        double rejected = t < moves.size ? moves.value[moves.order[t]] : 0;
        for (; t < moves.size; t++) { // fill
            int i = moves.order[t];
            int j = moves.segment[i];
            if (moves.rank[i] == 0) {
                TopKWireCost c = costs[j];
                long fit = remaining < c.open() ? 0 : (remaining - c.open()) / c.entry();
                int take = (int) Math.min(fit, moves.count[i]);
                if (take > 0) {
                    k[j] = take;
                    remaining -= c.open() + take * c.entry();
                }
            } else if (k[j] == moves.rank[i] - 1 && moves.cost[i] <= remaining) {
                k[j]++;
                remaining -= moves.cost[i];
            }
        }
        return new Plan(k, budgetUnits - remaining, thresholdK, thresholdUnits, rejected);
    }

    /**
     * The positions {@code 0..n-1} by {@code d} descending, ties in position order: a primitive sort
     * on (float key, position) (rounding to float keeps the order, up to ties), then runs of equal
     * float keys put in the doubles' order. {@code d} holds no NaN.
     */
    static int[] descending(double[] d, int n) {
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            packed[i] = (long) (Integer.MAX_VALUE - Float.floatToIntBits((float) d[i])) << 32 | i;
        }
        Arrays.sort(packed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) packed[i];
        }
        for (int start = 0, end; start < n; start = end) {
            end = start + 1;
            boolean differ = false;
            while (end < n && packed[end] >>> 32 == packed[start] >>> 32) {
                differ |= d[out[end]] != d[out[start]];
                end++;
            }
            if (differ) {
                Integer[] run = new Integer[end - start];
                for (int r = 0; r < run.length; r++) {
                    run[r] = out[start + r];
                }
                Arrays.sort(run, (a, b) -> {
                    int c = Double.compare(d[b], d[a]);
                    return c != 0 ? c : Integer.compare(a, b);
                });
                for (int r = 0; r < run.length; r++) {
                    out[start + r] = run[r];
                }
            }
        }
        return out;
    }

    /** Bundles and single entries with densities, costs and values, and their order (densest first). */
    private final class Moves {
        final int[] segment;
        final int[] count;  // entries the move adds: a bundle's m, 1 for an entry
        final int[] rank;   // an entry's 1-based rank in its segment; 0 for a bundle
        final double[] density;
        final double[] value;
        final long[] cost;
        final int[] order;
        final int size;

        /** From the candidates (element indices) sorted by density: within a segment that is by magnitude. */
        Moves(int[] sorted, float[] values) {
            int s = costs.length;
            int[] perSegment = new int[s];
            for (int i : sorted) {
                perSegment[segmentOf[i]]++;
            }
            int[][] bySegment = new int[s][];
            for (int j = 0; j < s; j++) {
                bySegment[j] = new int[perSegment[j]];
            }
            int[] fill = new int[s];
            for (int i : sorted) {
                int j = segmentOf[i];
                bySegment[j][fill[j]++] = i;
            }
            int capacity = sorted.length + s;
            segment = new int[capacity];
            count = new int[capacity];
            rank = new int[capacity];
            density = new double[capacity];
            value = new double[capacity];
            cost = new long[capacity];
            int n = 0;
            for (int j = 0; j < s; j++) {
                int[] e = bySegment[j];
                if (e.length == 0) {
                    continue;
                }
                TopKWireCost c = costs[j];
                double sum = 0;
                double best = Double.NEGATIVE_INFINITY;
                double bestSum = 0;
                int bestM = 0;
                for (int m = 1; m <= e.length; m++) {
                    double g = values[e[m - 1]];
                    sum += Double.isFinite(g) ? g * g : Double.POSITIVE_INFINITY;
                    double ratio = sum / (c.open() + m * (double) c.entry());
                    if (ratio > best) {
                        best = ratio;
                        bestSum = sum;
                        bestM = m;
                    }
                }
                n = add(n, j, bestM, 0, best, bestSum, c.open() + bestM * c.entry());
                for (int m = bestM + 1; m <= e.length; m++) {
                    double g = values[e[m - 1]];
                    n = add(n, j, 1, m, density(values, e[m - 1]), g * g, c.entry());
                }
            }
            size = n;
            order = descending(density, n); // ties: by segment, a bundle before its entries
        }

        private int add(int n, int j, int cnt, int rnk, double d, double v, long c) {
            segment[n] = j;
            count[n] = cnt;
            rank[n] = rnk;
            density[n] = d;
            value[n] = v;
            cost[n] = c;
            return n + 1;
        }
    }
}
