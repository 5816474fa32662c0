package io.lamina.compression.lowrank;

import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.TwoRoundCompressor;
import io.lamina.compression.Seeds;
import io.lamina.compression.message.DenseMessage;
import java.util.Arrays;
import java.util.Random;

/**
 * PowerSGD: rank-r compression by one step of subspace (power) iteration, warm-started from the
 * previous step (Vogels, Karimireddy, Jaggi, "PowerSGD: Practical Low-Rank Gradient Compression
 * for Distributed Optimization", NeurIPS 2019, Algorithm 1).
 *
 * <p>For each compressed segment, with M_w the worker's compensated gradient viewed as an n x m
 * matrix ({@link MatrixShape}), W workers, and Q the m x r matrix every worker shares:
 * <pre>
 *   round 1:  P_w = M_w Q                          (uplink n r floats)
 *             P^  = ORTHOGONALIZE(sum_w P_w)       (downlink n r floats; Gram-Schmidt)
 *   round 2:  Q_w = M_w^T P^                       (uplink m r floats)
 *             Q   = (sum_w Q_w) / W                (downlink m r floats)
 *   update:   P^ Q^T  = P^ P^T mean_w(M_w)         (every replica)
 *   memory:   e_w = M_w - P^ Q^T                   (local M, aggregated factors: Algorithm 2)
 *   next step starts from this Q (warm start); without warm start Q is drawn afresh each step.
 * </pre>
 * The initial Q (and, without warm start, every Q) is a Gaussian m x r matrix, orthonormalised,
 * drawn from {@link EncodeContext#sharedSeed()}, so all workers hold the same Q.
 *
 * <p>Lost rank comes back. If M is exactly rank-deficient (M = 0, or rank below r), a column of
 * P is zero after orthogonalisation, Q = M^T P^ gets a zero column, and a warm start would feed
 * it to every later step (P = M Q has a zero column again), losing that rank for good. So:
 * <pre>
 *   ORTHOGONALIZE: a column shorter than 1e-6 of its length before Gram-Schmidt
 *                  -&gt; i.i.d. N(0, 1), orthogonalised against the earlier columns
 *   warm-start Q:  a column shorter than 1e-6 of Q's longest (or all zero) -&gt; i.i.d. N(0, 1)
 * </pre>
 * as the paper initialises Q. The redraws are seeded from the bits of the step's downlinks,
 * which every replica holds identically, so replicas stay identical. The update of the step
 * itself is unchanged by the Q redraw (it uses the mean Q); a redrawn column of P^ only adds a
 * direction to the projection P^ P^T M. Differs from the paper in these redraws and in summing
 * P instead of averaging it, which does not change P^ (orthogonalisation is scale-invariant);
 * ORTHOGONALIZE is modified Gram-Schmidt in double.
 *
 * <p>Wire ({@link FactorMessage}, both rounds): varint segment length, varint rows, varint cols,
 * varint workers, then rows * cols fp32 values, column-major (P: n x r, Q: m x r, r the rank
 * capped by the matrix). A segment that travels dense sends a {@link DenseMessage} in round 1 and
 * an empty factor (rows = cols = 0) in round 2.
 *
 * <p>Segments for which (n + m) r is not smaller than their length (biases, tiny or rank-deficient
 * matrices, see {@link MatrixShape#compressible}) travel dense in round 1 and send an empty
 * placeholder in round 2; their update is the plain mean and their residual zero, as the paper
 * does for its rank-1 tensors. The call order the engine must follow is in
 * {@link TwoRoundCompressor}; the single-round {@link #encode}/{@link #decode} throw.
 *
 * <p>A replica rebuilt in the middle of a run must get the warm-start Q back before its next
 * {@link #round1}: every replica and the driver hold the same Q (it is derived from the
 * aggregate only), so the engine takes it with {@link #sharedState()} from the driver's instance
 * into its snapshot and gives it to the new instance with {@link #restoreSharedState}.
 * {@code warmstart=false} keeps no state across steps at all.
 */
public final class PowerSgdCompressor implements TwoRoundCompressor {

    private final Layout layout;
    private final int rank;
    private final boolean warmStart;
    private final MatrixShape[] shapes;
    private final boolean[] lowRank;
    private final float[][] warmQ;

    /**
     * @param forceLowRank compress every segment whose effective rank is at least 1, even where
     *     the factors are not smaller than the dense segment (for tests of the exact full-rank case)
     */
    public PowerSgdCompressor(Layout layout, int rank, boolean warmStart, boolean forceLowRank) {
        if (rank < 1) {
            throw new IllegalArgumentException("powersgd rank must be >= 1, got " + rank);
        }
        this.layout = layout;
        this.rank = rank;
        this.warmStart = warmStart;
        this.shapes = new MatrixShape[layout.size()];
        this.lowRank = new boolean[layout.size()];
        this.warmQ = new float[layout.size()][];
        for (int j = 0; j < layout.size(); j++) {
            shapes[j] = MatrixShape.of(layout.get(j));
            lowRank[j] = forceLowRank ? shapes[j].length() > 1 : shapes[j].compressible(rank);
        }
    }

    @Override
    public String name() {
        return "powersgd";
    }

    /** The matrix view of segment {@code segment}. */
    public MatrixShape shape(int segment) {
        return shapes[segment];
    }

    @Override
    public boolean lowRank(int segment) {
        return lowRank[segment];
    }

    @Override
    public Message round1(float[] values, int offset, int length, EncodeContext ctx) {
        int j = checkSegment(ctx.segment(), length);
        if (!lowRank[j]) {
            float[] copy = new float[length];
            System.arraycopy(values, offset, copy, 0, length);
            return new DenseMessage(copy, 1);
        }
        MatrixShape s = shapes[j];
        int r = s.effectiveRank(rank);
        float[] q = warmStart ? warmQ[j] : null;
        if (q == null) {
            q = LowRankMath.randomOrthonormal(ctx.sharedSeed(), s.cols(), r);
            if (warmStart) {
                warmQ[j] = q;
            }
        }
        float[] p = new float[s.rows() * r];
        LowRankMath.multiply(values, offset, s, q, r, p);
        return new FactorMessage(length, s.rows(), r, p, 1);
    }

    @Override
    public Message finishRound1(Message aggregate) {
        if (aggregate instanceof DenseMessage) {
            return aggregate;
        }
        FactorMessage p = (FactorMessage) aggregate;
        float[] hat = p.values().clone();
        LowRankMath.orthonormalise(hat, p.rows(), p.cols(), redrawFrom(p.values(), null, -1));
        return new FactorMessage(p.length(), p.rows(), p.cols(), hat, p.workers());
    }

    @Override
    public Message round2(float[] values, int offset, int length, Message downlink1, EncodeContext ctx) {
        int j = checkSegment(ctx.segment(), length);
        if (!lowRank[j]) {
            requireType(downlink1, DenseMessage.class, j, "round-1 downlink");
            return FactorMessage.empty(length, 1);
        }
        FactorMessage pHat = checkFactor(downlink1, j, shapes[j].rows(), "round-1 downlink");
        MatrixShape s = shapes[j];
        int r = pHat.cols();
        float[] q = new float[s.cols() * r];
        LowRankMath.multiplyTransposed(values, offset, s, pHat.values(), r, q);
        return new FactorMessage(length, s.cols(), r, q, 1);
    }

    @Override
    public void finishRound2(int segment, Message downlink1, Message aggregate2, float[] dst, int dstOffset) {
        int j = checkSegment(segment, downlink1.length());
        if (!lowRank[j]) {
            DenseMessage d = requireType(downlink1, DenseMessage.class, j, "round-1 downlink");
            float[] v = d.values();
            int w = d.workers();
            for (int i = 0; i < v.length; i++) {
                dst[dstOffset + i] = v[i] / w;
            }
            return;
        }
        MatrixShape s = shapes[j];
        FactorMessage pHat = checkFactor(downlink1, j, s.rows(), "round-1 downlink");
        FactorMessage qSum = checkFactor(aggregate2, j, s.cols(), "round-2 aggregate");
        if (qSum.cols() != pHat.cols()) {
            throw new IllegalArgumentException("powersgd segment " + j + ": round-2 rank "
                    + qSum.cols() + " differs from round-1 rank " + pHat.cols());
        }
        float[] q = qSum.values().clone();
        int w = qSum.workers();
        for (int i = 0; i < q.length; i++) {
            q[i] /= w;
        }
        LowRankMath.outer(pHat.values(), q, pHat.cols(), s, 1f, dst, dstOffset);
        if (warmStart) {
            LowRankMath.redrawZeroColumns(q, s.cols(), pHat.cols(), redrawFrom(pHat.values(), qSum.values(), j));
            warmQ[j] = q;
        }
    }

    /**
     * The generator for re-drawn columns: seeded from the bits of the step's downlinks (and the
     * segment), which every replica and the driver hold identically, so they all draw the same
     * columns without extra state or bytes. Only consulted when a column is (numerically) zero.
     */
    private static Random redrawFrom(float[] a, float[] b, int segment) {
        return new Random(Seeds.mix(0x5057_5347_4452_4157L, Arrays.hashCode(a), Arrays.hashCode(b), segment));
    }

    @Override
    public Message merge(Message a, Message b) {
        if (a instanceof FactorMessage fa && b instanceof FactorMessage fb) {
            return FactorMessage.sum(fa, fb);
        }
        if (a instanceof DenseMessage da && b instanceof DenseMessage db) {
            return DenseMessage.sum(da, db);
        }
        throw new IllegalArgumentException("powersgd cannot merge " + a + " with " + b
                + ": both must come from the same round of the same segment");
    }

    /** Unsupported: PowerSGD needs two aggregation rounds, see {@link TwoRoundCompressor}. */
    @Override
    public Message encode(float[] values, int offset, int length, EncodeContext ctx) {
        throw twoRounds("encode");
    }

    /** Unsupported: PowerSGD needs two aggregation rounds, see {@link TwoRoundCompressor}. */
    @Override
    public void decode(Message message, float[] dst, int dstOffset) {
        throw twoRounds("decode");
    }

    /** Unsupported: PowerSGD needs two aggregation rounds, see {@link TwoRoundCompressor}. */
    @Override
    public void finish(Message aggregate, float[] dst, int dstOffset) {
        throw twoRounds("finish");
    }

    @Override
    public float[][] sharedState() {
        float[][] copy = new float[warmQ.length][];
        for (int j = 0; j < warmQ.length; j++) {
            copy[j] = warmQ[j] == null ? null : warmQ[j].clone();
        }
        return copy;
    }

    @Override
    public void restoreSharedState(float[][] state) {
        if (state.length != warmQ.length) {
            throw new IllegalArgumentException("powersgd state has " + state.length + " segments, layout has "
                    + warmQ.length);
        }
        for (int j = 0; j < warmQ.length; j++) {
            if (state[j] != null && state[j].length != shapes[j].cols() * shapes[j].effectiveRank(rank)) {
                throw new IllegalArgumentException("powersgd state of segment " + j + " has " + state[j].length
                        + " values, expected " + shapes[j].cols() * shapes[j].effectiveRank(rank));
            }
            warmQ[j] = state[j] == null ? null : state[j].clone();
        }
    }

    private static UnsupportedOperationException twoRounds(String what) {
        return new UnsupportedOperationException("powersgd needs two aggregation rounds, so the "
                + "single-round " + what + " does not apply: use TwoRoundCompressor's round1, merge, "
                + "finishRound1, round2, merge, finishRound2 (the call order is in its javadoc)");
    }

    private int checkSegment(int segment, int length) {
        if (segment < 0 || segment >= shapes.length) {
            throw new IllegalArgumentException("powersgd: segment " + segment
                    + " is outside the layout's " + shapes.length + " segments");
        }
        if (length != shapes[segment].length()) {
            throw new IllegalArgumentException("powersgd: segment " + layout.get(segment)
                    + " has length " + shapes[segment].length() + ", got " + length);
        }
        return segment;
    }

    private FactorMessage checkFactor(Message m, int j, int rows, String what) {
        FactorMessage f = requireType(m, FactorMessage.class, j, what);
        if (f.rows() != rows || f.cols() < 1 || f.cols() > shapes[j].effectiveRank(rank)) {
            throw new IllegalArgumentException("powersgd segment " + layout.get(j) + ": " + what
                    + " is " + f + ", expected " + rows + " rows and 1.."
                    + shapes[j].effectiveRank(rank) + " columns");
        }
        return f;
    }

    private <T extends Message> T requireType(Message m, Class<T> type, int j, String what) {
        if (!type.isInstance(m)) {
            throw new IllegalArgumentException("powersgd segment " + layout.get(j) + ": " + what
                    + " must be a " + type.getSimpleName() + ", got " + m);
        }
        return type.cast(m);
    }
}
