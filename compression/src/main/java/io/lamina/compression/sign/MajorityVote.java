package io.lamina.compression.sign;

import io.lamina.compression.Message;

/**
 * Aggregation of unscaled signs by majority vote (Bernstein et al., ICML 2018 / ICLR 2019):
 * merging counts the +1 votes per element in code space ({@link VoteMessage}, exact, a few bits
 * per element), and the update every replica applies is {@code sign(vote)} in {-1, 0, +1}, with
 * a tie (only possible for an even number of workers) giving 0. The step size is the optimizer's
 * learning rate.
 */
public final class MajorityVote {

    private MajorityVote() {
    }

    /** Sum of two partial aggregates, each a {@link SignMessage} or a {@link VoteMessage}. */
    public static VoteMessage merge(Message a, Message b) {
        if (a.length() != b.length()) {
            throw new IllegalArgumentException("cannot merge sign votes of lengths " + a.length()
                    + " and " + b.length());
        }
        int workers = Math.addExact(a.workers(), b.workers());
        int[] plus = a instanceof VoteMessage va ? va.plus() : counts(a);
        addCounts(plus, b);
        return new VoteMessage(workers, plus);
    }

    /** Writes sign(vote) per element: +1, -1, or 0 for a tie. */
    public static void finish(Message aggregate, float[] dst, int dstOffset) {
        if (aggregate instanceof SignMessage s) {
            s.decodeInto(dst, dstOffset);
            return;
        }
        VoteMessage v = cast(aggregate);
        int[] plus = v.plus();
        int n = v.workers();
        for (int i = 0; i < plus.length; i++) {
            int vote = 2 * plus[i] - n;
            dst[dstOffset + i] = Integer.signum(vote);
        }
    }

    private static int[] counts(Message m) {
        int[] plus = new int[m.length()];
        addCounts(plus, m);
        return plus;
    }

    private static void addCounts(int[] plus, Message m) {
        if (m instanceof VoteMessage v) {
            int[] p = v.plus();
            for (int i = 0; i < plus.length; i++) {
                plus[i] += p[i];
            }
            return;
        }
        if (!(m instanceof SignMessage s)) {
            throw new IllegalArgumentException("majority vote cannot merge a " + m.getClass().getSimpleName());
        }
        long[] words = s.words();
        for (int i = 0; i < plus.length; i++) {
            plus[i] += 1 - (int) ((words[i >>> 6] >>> i) & 1L);
        }
    }

    private static VoteMessage cast(Message m) {
        if (!(m instanceof VoteMessage v)) {
            throw new IllegalArgumentException("majority vote cannot finish a " + m.getClass().getSimpleName());
        }
        return v;
    }
}
