package io.lamina.compression.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.Segment;
import io.lamina.compression.granularity.Granularity;
import io.lamina.compression.message.ValuePrecision;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.method.WireFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Top-k under a byte budget: the size bound, the budget, the allocation's optimality, the wire. */
class BudgetTopKTest {

    private static final long U = TopKWireCost.UNITS_PER_BYTE;

    /** A LeNet-like stack of tensors (61,706 parameters). */
    static Layout tensors() {
        int[] lengths = {150, 6, 2400, 16, 48000, 120, 10080, 84, 840, 10};
        List<Segment> s = new ArrayList<>();
        int off = 0;
        for (int i = 0; i < lengths.length; i++) {
            s.add(new Segment("t" + i, off, lengths[i]));
            off += lengths[i];
        }
        return Layout.of(s);
    }

    /** Gaussian values, each tensor at its own scale (spanning 100x), some entries exactly zero. */
    static float[] gradient(Layout layout, long seed, double zeros) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] g = new float[layout.totalLength()];
        for (Segment s : layout) {
            double scale = Math.pow(10, r.nextDouble(-3, -1));
            for (int i = s.offset(); i < s.end(); i++) {
                g[i] = r.nextDouble() < zeros ? 0f : (float) (r.nextGaussian() * scale);
            }
        }
        return g;
    }

    static BudgetTopKCompressor create(long budget, ValuePrecision values, Layout layout) {
        return (BudgetTopKCompressor) new BudgetTopKCompressor.Spec(budget, values).create(layout);
    }

    /** Plans the step and encodes every segment. */
    static SparseMessage[] encode(Compressor c, Layout layout, float[] g, long step) {
        c.planStep(g, step);
        SparseMessage[] out = new SparseMessage[layout.size()];
        for (int j = 0; j < layout.size(); j++) {
            Segment s = layout.get(j);
            out[j] = (SparseMessage) c.encode(g, s.offset(), s.length(), new EncodeContext(step, j, 0, 42L));
        }
        return out;
    }

    /** Serializer bytes of all messages (what the budget counts), from Kryo's real output. */
    static long serialized(Kryo kryo, SparseMessage[] messages) {
        long total = 0;
        for (SparseMessage m : messages) {
            int b = WireTestSupport.write(kryo, m).length;
            assertEquals(SparseMessageSerializer.wireSize(m), b);
            total += b;
        }
        return total;
    }

    @Test
    void theSizeFunctionBoundsWhatTheSerializerWritesAndIsExactWhenEmpty() {
        Kryo kryo = WireFormat.newKryo();
        SplittableRandom r = new SplittableRandom(5);
        for (ValuePrecision p : ValuePrecision.values()) {
            for (int length : new int[] {1, 2, 7, 127, 128, 129, 1000, 16_384, 300_000}) {
                TopKWireCost cost = new TopKWireCost(length, p);
                assertEquals(WireTestSupport.write(kryo, SparseMessage.empty(length, p, 1)).length * U, cost.units(0));
                int[] ks = {1, 2, Math.min(length, 127), Math.min(length, 129), Math.max(1, length / 100),
                    Math.max(1, length / 3), length};
                for (int k : ks) {
                    k = Math.min(k, length);
                    for (int[] idx : indexSets(length, k, r)) {
                        SparseMessage m = new SparseMessage(length, idx, new float[k], p, 1);
                        long bytes = WireTestSupport.write(kryo, m).length;
                        assertTrue(bytes * U <= cost.units(k), p + " length " + length + " k " + k + ": "
                                + bytes + " bytes written, bound " + cost.units(k) / (double) U);
                    }
                }
            }
        }
        // one entry at the far end of a segment of 10^6: 3 + 1 + 1 + 1 header, 2 value bytes, a 20-bit gap in
        // 3 varint bytes: 11. The bound: 6 empty + open (2 for varint(count) <= varint(L), 4 for the packed
        // byte count, 1.6 for block widths and padding) + 2 + 20/8 per entry = 18.13
        TopKWireCost far = new TopKWireCost(1_000_000, ValuePrecision.FP16);
        SparseMessage one = new SparseMessage(1_000_000, new int[] {999_999}, new float[] {1f}, ValuePrecision.FP16, 1);
        assertEquals(11, WireTestSupport.write(kryo, one).length);
        assertEquals(18.13, far.units(1) / (double) U, 0.01);
        assertEquals(4.506, far.entry() / (double) U, 0.001);
    }

    /** Random, evenly spread (widest gaps), the last k, and runs: every shape of gaps. */
    private static List<int[]> indexSets(int length, int k, SplittableRandom r) {
        List<int[]> sets = new ArrayList<>();
        int[] spread = new int[k];
        int[] last = new int[k];
        for (int i = 0; i < k; i++) {
            spread[i] = (int) ((long) (i + 1) * length / k) - 1;
            last[i] = length - k + i;
        }
        sets.add(spread);
        sets.add(last);
        if (k < length && k <= 10_000) {
            sets.add(r.ints(0, length).distinct().limit(k).sorted().toArray());
        }
        return sets;
    }

    @Test
    void theMessagesOfAStepNeverExceedTheBudget() {
        Kryo kryo = WireFormat.newKryo();
        Layout tensors = tensors();
        long[] budgets = {0, 3, 40, 2_000, 20_000, 10_000_000};
        int checked = 0;
        for (Layout layout : new Layout[] {Granularity.layerWise().apply(tensors), Granularity.entireModel().apply(tensors),
            Granularity.bucketed(5000).apply(tensors)}) {
            for (ValuePrecision p : new ValuePrecision[] {ValuePrecision.FP16, ValuePrecision.FP32}) {
                long floor = (create(10_000_000, p, layout).floorBytes());
                for (long extra : budgets) {
                    long budget = floor + extra;
                    BudgetTopKCompressor c = create(budget, p, layout);
                    for (int step = 0; step < 3; step++) {
                        float[] g = gradient(layout, 31L * step + extra, step == 2 ? 0.9 : 0.05);
                        SparseMessage[] m = encode(c, layout, g, step);
                        long bytes = serialized(kryo, m);
                        String what = layout.size() + " segments, " + p + ", budget " + budget + ", step " + step;
                        assertTrue(bytes <= budget, what + ": sent " + bytes);
                        int sent = Arrays.stream(m).mapToInt(SparseMessage::count).sum();
                        if (extra <= 3) { // less than one entry with its overhead (5 bytes at least): only the empty messages
                            assertEquals(0, sent, what);
                            assertEquals(floor, bytes, what);
                        }
                        int nonZero = 0;
                        for (float v : g) {
                            nonZero += v != 0 ? 1 : 0;
                        }
                        if (extra == 10_000_000) { // everything fits: every non-zero goes
                            assertEquals(nonZero, sent, what);
                        } else if (extra >= 2_000 && sent < nonZero) { // else most of the budget is spent
                            assertTrue(bytes >= 0.6 * budget, what + ": only " + bytes + " bytes sent");
                        }
                        checked++;
                    }
                }
            }
        }
        assertEquals(3 * 2 * budgets.length * 3, checked);
    }

    @Test
    void aBudgetBelowTheEmptyMessagesIsRefusedWhenCreated() {
        Layout layout = Granularity.layerWise().apply(tensors());
        long floor = create(1_000_000, ValuePrecision.FP16, layout).floorBytes();
        assertEquals(16 + 3 * 10, floor); // varint(length) + 3 per segment: lengths of 1, 2 and 3 varint bytes
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compressors.parse("topk:budget=" + (floor - 1)).create(layout));
        assertTrue(e.getMessage().contains("below the " + floor + " bytes") && e.getMessage().contains("budget >= " + floor),
                e.getMessage());
    }

    @Test
    void itBeatsUniformTopKAtTheSameBytesWhenOneLayerMatters() {
        // layer a holds entries 1..2, layer b the same / 100; Top-k 10% sends 100 of each
        int n = 1000;
        Layout layout = Layout.of(List.of(new Segment("a", 0, n), new Segment("b", n, n)));
        float[] g = new float[2 * n];
        for (int i = 0; i < n; i++) {
            g[i] = (i % 2 == 0 ? 1 : -1) * (1 + i / 1000f);
            g[n + i] = g[i] / 100;
        }
        Compressor topk = Compressors.parse("topk:0.1,values=fp32").create(layout);
        SparseMessage[] uniform = new SparseMessage[2];
        for (int j = 0; j < 2; j++) {
            uniform[j] = (SparseMessage) topk.encode(g, j * n, n, new EncodeContext(0, j, 0, 1));
            assertEquals(100, uniform[j].count());
        }
        Kryo kryo = WireFormat.newKryo();
        long bytes = serialized(kryo, uniform);
        assertEquals(2 * 506, bytes); // 5 header + 400 values + 101 index bytes (one gap of 900, 99 of 0), each
        BudgetTopKCompressor c = create(bytes, ValuePrecision.FP32, layout);
        SparseMessage[] budget = encode(c, layout, g, 0);
        // all of it to a: k = floor((1012 * 1024 - 2 * 5 * 1024 - 4736) / 5382) = 189 (open 4736, entry 5382 units)
        assertEquals(189, budget[0].count());
        assertEquals(0, budget[1].count());
        assertTrue(serialized(kryo, budget) <= bytes);
        double uniformError = error(topk, g, layout, uniform);
        double budgetError = error(c, g, layout, budget);
        assertEquals(1951.9, uniformError, 0.1); // the 900 smallest of a: 900 + 809.1 + 242.6, and 1/10^4 of that of b
        assertEquals(1645.6, budgetError, 0.1);  // the 811 smallest of a: 811 + 656.9 + 177.5, and all of b (0.23)
        assertTrue(budgetError < 0.85 * uniformError);
    }

    private static double error(Compressor c, float[] g, Layout layout, SparseMessage[] m) {
        double e = 0;
        for (int j = 0; j < layout.size(); j++) {
            Segment s = layout.get(j);
            float[] d = new float[s.length()];
            c.decode(m[j], d, 0);
            for (int i = 0; i < s.length(); i++) {
                double r = (double) g[s.offset() + i] - d[i];
                e += r * r;
            }
        }
        return e;
    }

    @Test
    void theAllocationMatchesAnExhaustiveSearch() {
        int[] lengths = {7, 3, 11, 5};
        List<Segment> segs = new ArrayList<>();
        int off = 0;
        for (int i = 0; i < lengths.length; i++) {
            segs.add(new Segment("s" + i, off, lengths[i]));
            off += lengths[i];
        }
        Layout layout = Layout.of(segs);
        TopKWireCost[] costs = new TopKWireCost[lengths.length];
        for (int j = 0; j < costs.length; j++) {
            costs[j] = new TopKWireCost(lengths[j], ValuePrecision.FP16);
        }
        int cases = 0;
        int exact = 0;
        for (long seed = 0; seed < 40; seed++) {
            float[] g = gradient(layout, seed, 0.1);
            BudgetAllocator allocator = new BudgetAllocator(layout, costs);
            double[][] prefix = prefixSums(layout, g);
            Exhaustive all = new Exhaustive(prefix, costs);
            for (long extra = 0; extra <= 80; extra += 3) {
                long budget = allocator.floorUnits() + extra * U;
                BudgetAllocator.Plan p = allocator.allocate(g, budget);
                String what = "seed " + seed + " budget +" + extra;
                assertEquals(all.cost(p.k()), p.units(), what);
                assertTrue(p.units() <= budget, what);
                double value = all.value(p.k());
                double best = all.best(budget);
                // never better than the optimum (it would have broken the budget) ...
                assertTrue(value <= best * (1 + 1e-12), what);
                // ... the threshold phase is optimal for what it spends (Everett) ...
                assertEquals(all.best(p.thresholdUnits()), all.value(p.thresholdK()), 1e-12 * best, what);
                assertEquals(all.cost(p.thresholdK()), p.thresholdUnits(), what);
                // ... and the gap to the optimum is below the refused move's squares (weak duality)
                assertTrue(best - value <= p.rejectedValue() * (1 + 1e-12), what + ": gap " + (best - value));
                exact += Math.abs(best - value) <= 1e-12 * best ? 1 : 0;
                cases++;
            }
        }
        assertEquals(40 * 27, cases);
        // the greedy is not exact in general (a knapsack), but it is on most of these
        assertTrue(exact >= 0.9 * cases, exact + " of " + cases);
    }

    /** Per segment, the sums of squares of its m largest magnitudes (ties to the lower index). */
    private static double[][] prefixSums(Layout layout, float[] g) {
        double[][] out = new double[layout.size()][];
        for (int j = 0; j < layout.size(); j++) {
            Segment s = layout.get(j);
            Integer[] idx = new Integer[s.length()];
            Arrays.setAll(idx, i -> i);
            Arrays.sort(idx, (a, b) -> {
                int c = Float.compare(Math.abs(g[s.offset() + b]), Math.abs(g[s.offset() + a]));
                return c != 0 ? c : Integer.compare(a, b);
            });
            out[j] = new double[s.length() + 1];
            for (int m = 1; m <= s.length(); m++) {
                double v = g[s.offset() + idx[m - 1]];
                out[j][m] = out[j][m - 1] + v * v;
            }
        }
        return out;
    }

    /** Every k-tuple of a tiny layout: the slow reference. */
    private static final class Exhaustive {
        final double[][] prefix;
        final TopKWireCost[] costs;
        final List<int[]> tuples = new ArrayList<>();

        Exhaustive(double[][] prefix, TopKWireCost[] costs) {
            this.prefix = prefix;
            this.costs = costs;
            enumerate(new int[costs.length], 0);
        }

        private void enumerate(int[] k, int j) {
            if (j == k.length) {
                tuples.add(k.clone());
                return;
            }
            for (int m = 0; m < prefix[j].length; m++) {
                k[j] = m;
                enumerate(k, j + 1);
            }
        }

        long cost(int[] k) {
            long c = 0;
            for (int j = 0; j < k.length; j++) {
                c += costs[j].units(k[j]);
            }
            return c;
        }

        double value(int[] k) {
            double v = 0;
            for (int j = 0; j < k.length; j++) {
                v += prefix[j][k[j]];
            }
            return v;
        }

        double best(long budget) {
            double best = 0;
            for (int[] k : tuples) {
                if (cost(k) <= budget) {
                    best = Math.max(best, value(k));
                }
            }
            return best;
        }
    }

    @Test
    void messagesRoundTripAndMergeAsTopKs() {
        Layout layout = Granularity.layerWise().apply(tensors());
        Kryo kryo = WireFormat.newKryo();
        CompressorSpec spec = Compressors.parse("topk:budget=6k,values=fp32");
        Compressor[] workers = {spec.create(layout), spec.create(layout)};
        Compressor driver = spec.create(layout);
        Compressor topk = Compressors.parse("topk:k=1,values=fp32").create(layout);
        float[][] g = {gradient(layout, 1, 0), gradient(layout, 2, 0)};
        SparseMessage[][] m = {encode(workers[0], layout, g[0], 7), encode(workers[1], layout, g[1], 7)};
        int[] k = ((BudgetTopKCompressor) workers[0]).plannedK();
        for (int j = 0; j < layout.size(); j++) {
            Segment s = layout.get(j);
            // a segment's message is exactly Top-k_j's
            assertArrayEquals(TopKSelector.select(g[0], s.offset(), s.length(), k[j]).toMessage(s.length(),
                    ValuePrecision.FP32).indices(), m[0][j].indices());
            Message a = WireTestSupport.read(kryo, WireTestSupport.write(kryo, m[0][j]), SparseMessage.class);
            Message b = WireTestSupport.read(kryo, WireTestSupport.write(kryo, m[1][j]), SparseMessage.class);
            float[] mean = new float[s.length()];
            driver.finish(driver.merge(a, b), mean, 0);
            float[] expected = new float[s.length()];
            topk.finish(topk.merge(m[0][j], m[1][j]), expected, 0);
            assertArrayEquals(expected, mean, "segment " + j);
            float[] d0 = new float[s.length()];
            float[] d1 = new float[s.length()];
            driver.decode(m[0][j], d0, 0);
            driver.decode(m[1][j], d1, 0);
            for (int i = 0; i < s.length(); i++) {
                assertEquals((d0[i] + d1[i]) / 2, mean[i], 1e-7, "segment " + j + " element " + i);
            }
        }
        assertTrue(Arrays.stream(k).sum() > 500, Arrays.toString(k));
    }

    @Test
    void specsParseAndAnUnplannedStepFails() {
        CompressorSpec a = Compressors.parse("topk:budget=20k");
        assertEquals(new BudgetTopKCompressor.Spec(20_000, ValuePrecision.FP16), a);
        assertEquals("topk-budget:budget=20000,values=fp16", a.spec());
        assertEquals(a, Compressors.parse(a.spec()));
        assertEquals(new BudgetTopKCompressor.Spec(1_500_000, ValuePrecision.BF16),
                Compressors.parse("topk-budget:1500k,values=bf16"));
        assertEquals(2_000_000, ((BudgetTopKCompressor.Spec) Compressors.parse("topk-budget:budget=2m")).budget());
        for (String bad : new String[] {"topk:0.01,budget=1k", "topk-budget", "topk-budget:1.5k", "topk-budget:0",
            "topk:budget=-3", "topk:budget=12g", "topk-budget:5k,budget=6k", "topk:budget=1k,warmup=3"}) {
            assertThrows(IllegalArgumentException.class, () -> Compressors.parse(bad), bad);
        }
        Layout layout = Layout.single("x", 100);
        Compressor c = Compressors.parse("topk:budget=100").create(layout);
        assertTrue(c.plansStep());
        float[] g = gradient(layout, 3, 0);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> c.encode(g, 0, 100, new EncodeContext(0, 0, 0, 1)));
        assertTrue(e.getMessage().contains("planStep"), e.getMessage());
        c.planStep(g, 0);
        assertEquals(SparseMessage.class, c.encode(g, 0, 100, new EncodeContext(0, 0, 0, 1)).getClass());
        assertThrows(IllegalStateException.class, () -> c.encode(g, 0, 100, new EncodeContext(1, 0, 0, 1)));
    }
}
