package io.lamina.compression.message;

import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The aggregate of non-summable codes (per-worker norms or scales): the single-worker messages
 * side by side, all of one type and one length, kept while that is smaller on the wire than the
 * dense fp32 sum. {@link #merge} applies the rule; {@link #finish} decodes, sums and averages.
 *
 * <p>Wire form (see {@code GatheredMessageSerializer}): the inner type's Kryo class id (a varint
 * of 2 bytes for the library's ids 1000-1199), a varint count, then each part's own serialized
 * body: {@code 2 + varint(count) + sum of parts' wireBytes()} bytes.
 *
 * <p>Determinism: {@code finish} sums the parts in list order (the order merges concatenated
 * them) into fp32, then divides by the worker count. Every replica receives the same aggregate
 * bytes, so every replica computes the same bits.
 *
 * <p>Not a record, though immutable: it copies the list it is given and caches the length, worker
 * count and wire size it derives from the parts, which are not components of their own.
 */
public final class GatheredMessage implements Message {

    /** Bytes of the inner class id (Kryo varint of id + 2, for ids 126..16381). */
    public static final int TAG_BYTES = 2;

    private final List<CodedMessage> parts;
    private final int length;
    private final int workers;
    private final long wireBytes;

    /** At least one part; all parts of the same class and length. The list is copied. */
    public GatheredMessage(List<? extends CodedMessage> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a gathered message needs at least one part");
        }
        this.parts = Collections.unmodifiableList(new ArrayList<>(parts));
        CodedMessage first = parts.get(0);
        long bytes = TAG_BYTES + WireLimits.varIntSize(parts.size());
        long w = 0;
        for (CodedMessage p : parts) {
            if (p.getClass() != first.getClass() || p.length() != first.length()) {
                throw new IllegalArgumentException("gathered parts must share type and length: "
                        + first.getClass().getSimpleName() + "[" + first.length() + "] vs "
                        + p.getClass().getSimpleName() + "[" + p.length() + "]");
            }
            bytes += p.wireBytes();
            w += p.workers();
        }
        if (w > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many workers: " + w);
        }
        this.length = first.length();
        this.workers = (int) w;
        this.wireBytes = bytes;
    }

    public List<CodedMessage> parts() {
        return parts;
    }

    /** Exact bytes of this message's body on the wire. */
    public long wireBytes() {
        return wireBytes;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int workers() {
        return workers;
    }

    /** Exact body bytes of a {@link DenseMessage} of this length and worker count. */
    public static long denseWireBytes(int length, int workers) {
        return DenseMessageSerializer.size(length, workers);
    }

    /**
     * The sum of two partial aggregates, each a {@link CodedMessage}, a {@code GatheredMessage}
     * or a {@link DenseMessage}: the parts concatenated (a's first) while that is strictly
     * smaller than dense fp32, otherwise the dense fp32 sum. A dense {@code a} is summed into in
     * place (Spark allows reusing the left operand); {@code b} is never modified.
     */
    public static Message merge(Message a, Message b) {
        if (a.length() != b.length()) {
            throw new IllegalArgumentException("cannot merge messages of lengths " + a.length()
                    + " and " + b.length());
        }
        int workers = Math.addExact(a.workers(), b.workers());
        if (!(a instanceof DenseMessage) && !(b instanceof DenseMessage)) {
            List<CodedMessage> all = new ArrayList<>();
            addParts(all, a);
            addParts(all, b);
            long gathered = TAG_BYTES + WireLimits.varIntSize(all.size());
            for (CodedMessage p : all) {
                gathered += p.wireBytes();
            }
            if (gathered < denseWireBytes(a.length(), workers)) {
                return new GatheredMessage(all);
            }
        }
        float[] sum;
        if (a instanceof DenseMessage d) {
            sum = d.values();
        } else {
            sum = new float[a.length()];
            accumulate(a, sum, true);
        }
        accumulate(b, sum, false);
        return new DenseMessage(sum, workers);
    }

    /** Writes the mean over {@code aggregate.workers()} workers into {@code dst[dstOffset, +length)}. */
    public static void finish(Message aggregate, float[] dst, int dstOffset) {
        int n = aggregate.length();
        int workers = aggregate.workers();
        if (aggregate instanceof DenseMessage d) {
            float[] v = d.values();
            for (int i = 0; i < n; i++) {
                dst[dstOffset + i] = v[i] / workers;
            }
            return;
        }
        float[] sum = new float[n];
        accumulate(aggregate, sum, true);
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = sum[i] / workers;
        }
    }

    private static void addParts(List<CodedMessage> all, Message m) {
        if (m instanceof GatheredMessage g) {
            all.addAll(g.parts);
        } else if (m instanceof CodedMessage c) {
            all.add(c);
        } else {
            throw new IllegalArgumentException("cannot gather a " + m.getClass().getSimpleName());
        }
    }

    /** Adds the decoded values of {@code m} to {@code sum} (or sets them, if {@code first}). */
    private static void accumulate(Message m, float[] sum, boolean first) {
        int n = sum.length;
        if (m instanceof DenseMessage d) {
            float[] v = d.values();
            for (int i = 0; i < n; i++) {
                sum[i] = first ? v[i] : sum[i] + v[i];
            }
            return;
        }
        List<CodedMessage> list = new ArrayList<>();
        addParts(list, m);
        float[] tmp = null;
        for (CodedMessage p : list) {
            if (first) {
                p.decodeInto(sum, 0);
                first = false;
                continue;
            }
            if (tmp == null) {
                tmp = new float[n];
            }
            p.decodeInto(tmp, 0);
            for (int i = 0; i < n; i++) {
                sum[i] += tmp[i];
            }
        }
    }
}
