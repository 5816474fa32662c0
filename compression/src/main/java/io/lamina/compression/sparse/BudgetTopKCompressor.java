package io.lamina.compression.sparse;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.SpecParams;
import io.lamina.compression.message.ValuePrecision;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Top-k under a byte budget: per step and worker, every segment j sends its {@code k_j} largest
 * entries (as {@link TopKCompressor}, ties to the lower index), with the k_j chosen together so that
 * <pre>  minimise  sum_j ||g_j - TopK_{k_j}(g_j)||^2   subject to   sum_j bytes_j(k_j) <= budget</pre>
 * where {@code bytes_j(k)} bounds what {@link SparseMessageSerializer} writes for k entries of
 * segment j ({@link TopKWireCost}: exact for k = 0; for k >= 1 an empty message's bytes, plus
 * {@code o_j} once, plus {@code c_j = v + W_j/8 + 6/1024} per entry, v the value bytes and W_j the
 * bits of the widest gap). No function of k alone is exact, because the index coding depends on
 * where the entries are; with this bound the serialized messages of a step never exceed the budget.
 * The budget counts the messages' serializer bytes (Kryo's class id and the engine's framing of the
 * step result are outside it). No toolkit has it; it is Lamina's own, to let layer-wise and
 * entire-model compression be compared at an equal number of bytes.
 *
 * <p><b>Allocation</b> ({@link BudgetAllocator}). Error reduction from sending entry i of segment j
 * is {@code g_i^2}, at {@code c_j} bytes; so entries are taken in descending {@code g_i^2 / c_j}
 * (the globally largest squared value per byte) until the budget is spent. The overhead {@code o_j}
 * is charged with a segment's first entries: a segment opens with the prefix of its m largest that
 * maximises {@code (sum of their squares) / (o_j + m c_j)}, ranked by that ratio; later entries are
 * ranked one by one. After the first move that does not fit, any later move that still fits is taken.
 *
 * <p><b>Is the greedy exact?</b> Not always, and it cannot be cheaply: with unequal c_j the problem
 * contains 0/1 knapsack (two segments with one entry each: 3.3 at 3 bytes and 2 + 2 at 2 bytes each,
 * budget 4: the greedy takes 3.3, the optimum 4). What holds (the tests check both against an
 * exhaustive search):
 * <ul>
 *   <li>The allocation at the moment the first move is refused is optimal among all allocations
 *       costing no more than it does (Everett's theorem): with threshold λ just above that move's
 *       density, every segment holds the k that maximises {@code S_j(k) - λ bytes_j(k)} (within a
 *       segment S_j is concave and costs are linear, so that k is the number of entries denser than λ;
 *       opening pays iff λ is below the segment's best prefix ratio), so no allocation of equal or
 *       smaller cost removes more squared error.</li>
 *   <li>Against the true optimum at the budget: optimum error >= greedy error - (the refused move's
 *       sum of squares), by weak duality at λ = its density (the unspent budget is less than its cost).
 *       The refused move is one entry, or one segment's opening prefix.</li>
 *   <li>It is exact when every segment costs the same per entry and the overheads are zero: then it
 *       is a count, and the globally largest are optimal (exchange argument).</li>
 * </ul>
 *
 * <p><b>Budget below the floor.</b> Every segment must send a message, so the least any step can
 * send is the empty messages ({@code varint(L_j) + 3} bytes each); a budget below that is refused
 * when the compressor is created for a layout. A budget that covers the empty messages but not one
 * entry sends the empty messages: never more than the budget.
 *
 * <p><b>Lifecycle.</b> {@link #plansStep()} is true: the worker calls {@link #planStep} with every
 * segment's compensated values once per step, then {@link #encode} per segment with those values
 * ({@code encode} of a step that was not planned throws). Wire: the same {@link SparseMessage}s as
 * Top-k (varint length, workers, count, tag, values, indices as varint or bit-packed gaps), so
 * decoding, merging and the downlink are Top-k's ({@link SparseSum}).
 *
 * <p>Spec: {@code topk:budget=<bytes>} or {@code topk-budget:<bytes>}, with a {@code k} (10^3) or
 * {@code m} (10^6) suffix allowed ({@code 20k}), and {@code values=fp16|fp32|bf16} (default fp16).
 */
public final class BudgetTopKCompressor extends AbstractSparsifier {

    /** The registry name. */
    public static final String NAME = "topk-budget";
    private static final Pattern BYTES = Pattern.compile("([0-9]+)([km]?)");
    private static final long MAX_BUDGET = 1L << 40;

    private final Spec spec;
    private final Layout layout;
    private final BudgetAllocator allocator;
    private long plannedStep = -1;
    private int[] k;

    private BudgetTopKCompressor(Spec spec, Layout layout) {
        this.spec = spec;
        this.layout = layout;
        TopKWireCost[] costs = new TopKWireCost[layout.size()];
        for (int j = 0; j < costs.length; j++) {
            costs[j] = new TopKWireCost(layout.get(j).length(), spec.values());
        }
        this.allocator = new BudgetAllocator(layout, costs);
        long floor = floorBytes();
        if (spec.budget() < floor) {
            throw new IllegalArgumentException("compressor '" + spec.spec() + "': a budget of " + spec.budget()
                    + " bytes is below the " + floor + " bytes the empty messages of the " + layout.size()
                    + " segments take (every segment sends a message each step); allowed: budget >= " + floor);
        }
    }

    /** Parses {@code topk:budget=<bytes>[,values=..]} and {@code topk-budget:<bytes>[,values=..]}. */
    public static CompressorSpec parse(SpecParams p) {
        p.allowOnly(Set.of("budget", "values"));
        boolean viaTopK = p.name().equals("topk");
        String raw = p.getString("budget", !viaTopK, null);
        String positional = p.getString("", true, null); // no key is empty: this is the positional value
        if (raw == null || (p.has("budget") && positional != null)) {
            throw new IllegalArgumentException("spec '" + p.spec() + "': give the budget once, as "
                    + "topk:budget=<bytes> or topk-budget:<bytes> (a k or m suffix is allowed: 20k)");
        }
        return new Spec(bytes(p.spec(), raw), SparseSpecs.values(p, ValuePrecision.FP16));
    }

    private static long bytes(String spec, String raw) {
        Matcher m = BYTES.matcher(raw.trim().toLowerCase(Locale.ROOT).replace("_", ""));
        if (!m.matches() || m.group(1).length() > 13) {
            throw new IllegalArgumentException("spec '" + spec + "': budget must be a whole number of bytes, "
                    + "optionally with a k (1000) or m (1000000) suffix, got '" + raw + "'");
        }
        long v = Long.parseLong(m.group(1)) * switch (m.group(2)) {
            case "k" -> 1_000L;
            case "m" -> 1_000_000L;
            default -> 1L;
        };
        if (v < 1 || v > MAX_BUDGET) {
            throw new IllegalArgumentException("spec '" + spec + "': budget = " + v
                    + " bytes is out of range; allowed: [1, " + MAX_BUDGET + "]");
        }
        return v;
    }

    private static long ceilBytes(long units) {
        return (units + TopKWireCost.UNITS_PER_BYTE - 1) / TopKWireCost.UNITS_PER_BYTE;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean plansStep() {
        return true;
    }

    @Override
    public void planStep(float[] values, long step) {
        if (values.length != layout.totalLength()) {
            throw new IllegalArgumentException(NAME + ": planStep needs the whole layout, "
                    + layout.totalLength() + " floats, got " + values.length);
        }
        k = allocator.allocate(values, spec.budget() * TopKWireCost.UNITS_PER_BYTE).k();
        plannedStep = step;
    }

    /** The bytes of every segment's empty message: the least budget this layout accepts. */
    long floorBytes() {
        return ceilBytes(allocator.floorUnits());
    }

    /** The entries per segment planned for the current step (a copy). */
    int[] plannedK() {
        return k.clone();
    }

    @Override
    public Message encode(float[] values, int offset, int length, EncodeContext ctx) {
        if (plannedStep != ctx.step() || k == null) {
            throw new IllegalStateException(NAME + ": step " + ctx.step() + " was not planned; call planStep "
                    + "with every segment's values before encoding (last planned: " + plannedStep + ")");
        }
        int j = ctx.segment();
        if (j < 0 || j >= layout.size() || layout.get(j).length() != length) {
            throw new IllegalArgumentException(NAME + ": segment " + j + " of " + length
                    + " elements is not in the layout " + layout);
        }
        return TopKSelector.select(values, offset, length, k[j]).toMessage(length, spec.values());
    }

    /** {@code topk-budget:budget=<bytes>,values=<p>}. */
    public record Spec(long budget, ValuePrecision values) implements CompressorSpec {

        public Spec {
            if (budget < 1 || budget > MAX_BUDGET || values == null) {
                throw new IllegalArgumentException("topk-budget needs a budget in [1, " + MAX_BUDGET
                        + "] bytes and a value encoding, got " + budget + ", " + values);
            }
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String spec() {
            return NAME + ":budget=" + budget + ",values=" + values.specName();
        }

        @Override
        public Compressor create(Layout segments) {
            return new BudgetTopKCompressor(this, segments);
        }
    }
}
