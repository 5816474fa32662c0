package io.lamina.compression.sparse;

import io.lamina.compression.message.DenseMessageSerializer;
import io.lamina.compression.Message;
import io.lamina.compression.message.DenseMessage;
import io.lamina.compression.message.ValuePrecision;
import java.util.Arrays;

/**
 * The aggregation rule of the sparsifiers:
 * <ul>
 *   <li>sparse + sparse: merge by sorted index in O(k1 + k2), summing where supports overlap;
 *       the result keeps the narrowest value precision that still carries every sum exactly;
 *       it becomes a {@link DenseMessage} as soon as dense fp32 is fewer bytes than the exact
 *       sparse wire size ({@link SparseMessageSerializer#wireSize});</li>
 *   <li>sparse + dense, dense + sparse: dense (the left operand's storage is reused when it is
 *       dense; the right one is never modified);</li>
 *   <li>dense + dense: {@link DenseMessage#sum}.</li>
 * </ul>
 * {@link #finish} writes {@code sum / workers} (float division: the same bits on every JVM).
 */
public final class SparseSum {

    private SparseSum() {
    }

    /** {@code a + b} in the smaller exact representation; {@code a} may be reused. */
    public static Message merge(Message a, Message b) {
        if (a.length() != b.length()) {
            throw new IllegalArgumentException("cannot merge messages of lengths " + a.length()
                    + " and " + b.length() + " (different segments?)");
        }
        if (a instanceof SparseMessage sa && b instanceof SparseMessage sb) {
            return mergeSparse(sa, sb);
        }
        if (a instanceof DenseMessage da && b instanceof DenseMessage db) {
            return DenseMessage.sum(da, db);
        }
        if (a instanceof DenseMessage da && b instanceof SparseMessage sb) {
            addInto(da.values(), sb);
            return new DenseMessage(da.values(), da.workers() + sb.workers());
        }
        if (a instanceof SparseMessage sa && b instanceof DenseMessage db) {
            float[] v = db.values().clone();
            addInto(v, sa);
            return new DenseMessage(v, sa.workers() + db.workers());
        }
        throw new IllegalArgumentException("sparse aggregation cannot merge "
                + a.getClass().getSimpleName() + " with " + b.getClass().getSimpleName());
    }

    private static void addInto(float[] dense, SparseMessage s) {
        int[] idx = s.indices();
        float[] val = s.values();
        for (int j = 0; j < idx.length; j++) {
            dense[idx[j]] += val[j];
        }
    }

    private static Message mergeSparse(SparseMessage a, SparseMessage b) {
        int workers = a.workers() + b.workers();
        int length = a.length();
        int na = a.count();
        int nb = b.count();
        long denseBytes = DenseMessageSerializer.size(length, workers);
        int minBytes = Math.min(a.precision().bytes(), b.precision().bytes());
        if ((long) Math.max(na, nb) * minBytes >= denseBytes) {
            return toDense(a, b, workers); // the union's values alone outweigh dense
        }
        int[] ia = a.indices();
        int[] ib = b.indices();
        float[] va = a.values();
        float[] vb = b.values();
        int[] idx = new int[na + nb];
        float[] val = new float[na + nb];
        int i = 0;
        int j = 0;
        int o = 0;
        while (i < na && j < nb) {
            int x = ia[i];
            int y = ib[j];
            if (x < y) {
                idx[o] = x;
                val[o++] = va[i++];
            } else if (y < x) {
                idx[o] = y;
                val[o++] = vb[j++];
            } else {
                idx[o] = x;
                val[o++] = va[i++] + vb[j++];
            }
        }
        while (i < na) {
            idx[o] = ia[i];
            val[o++] = va[i++];
        }
        while (j < nb) {
            idx[o] = ib[j];
            val[o++] = vb[j++];
        }
        ValuePrecision p = ValuePrecision.narrowestExact(a.precision(), b.precision(), val, o);
        SparseMessage merged = new SparseMessage(length, o == idx.length ? idx : Arrays.copyOf(idx, o),
                o == val.length ? val : Arrays.copyOf(val, o), p, workers);
        if ((long) o * p.bytes() >= denseBytes || SparseMessageSerializer.wireSize(merged) >= denseBytes) {
            float[] dense = new float[length];
            addInto(dense, merged);
            return new DenseMessage(dense, workers);
        }
        return merged;
    }

    private static DenseMessage toDense(SparseMessage a, SparseMessage b, int workers) {
        float[] dense = new float[a.length()];
        addInto(dense, a);
        addInto(dense, b);
        return new DenseMessage(dense, workers);
    }

    /** D(m) of a sparse or dense message into {@code dst[off, off + length)} (zeros elsewhere). */
    public static void decode(Message m, float[] dst, int off) {
        if (m instanceof SparseMessage s) {
            Arrays.fill(dst, off, off + s.length(), 0f);
            int[] idx = s.indices();
            float[] val = s.values();
            for (int j = 0; j < idx.length; j++) {
                dst[off + idx[j]] = val[j];
            }
        } else if (m instanceof DenseMessage d) {
            System.arraycopy(d.values(), 0, dst, off, d.length());
        } else {
            throw new IllegalArgumentException("not a sparse or dense message: " + m.getClass().getSimpleName());
        }
    }

    /** The mean over {@code m.workers()} workers into {@code dst[off, off + length)}. */
    public static void finish(Message m, float[] dst, int off) {
        float n = m.workers();
        if (m instanceof SparseMessage s) {
            Arrays.fill(dst, off, off + s.length(), 0f);
            int[] idx = s.indices();
            float[] val = s.values();
            for (int j = 0; j < idx.length; j++) {
                dst[off + idx[j]] = val[j] / n;
            }
        } else if (m instanceof DenseMessage d) {
            float[] v = d.values();
            for (int i = 0; i < v.length; i++) {
                dst[off + i] = v[i] / n;
            }
        } else {
            throw new IllegalArgumentException("not a sparse or dense message: " + m.getClass().getSimpleName());
        }
    }
}
