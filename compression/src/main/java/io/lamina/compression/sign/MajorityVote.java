package io.lamina.compression.sign;

import io.lamina.compression.Message;

/**
 * Aggregation of unscaled signs by majority vote (Bernstein et al., ICML 2018 / ICLR 2019):
 * merging counts the +1 votes per element in code space ({@link VoteMessage}, exact, a few bits
 * per element); the driver sends the replicas only {@code sign(vote)} in {-1, 0, +1}
 * ({@link MajoritySignMessage}: 1 bit per element, 2 if some vote tied), and that is the update
 * every replica applies, a tie (only possible for an even number of workers) giving 0.
 *
 * <p>sign(0) and ties: a worker's zero (and NaN) votes +1, as in GRACE, since one bit has no zero;
 * a tied vote gives 0, as the paper's sign, where GRACE gives +1. Effects: a coordinate whose
 * gradient is exactly 0 on every worker (a dead unit, an unused embedding row) gets the update +1
 * and moves by -lr every step, as in GRACE; a coordinate on which an even number of workers split
 * evenly does not move, instead of drifting by -lr per step as ties to +1 would make it.
 *
 * <p>Step size: the update is exactly -1, 0 or +1 per element, whatever the gradient's unit (the
 * mean over the worker's batch on the wire), so a replica applying it through a plain SGD updater
 * moves each parameter by exactly lr per step (0 on a tie); other updaters rescale it as they
 * rescale any gradient. Memories see only the worker's own signs, never the counts: majority vote
 * takes no memory, so no replica needs the counts.
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

    /**
     * The downlink of a merged aggregate: sign(vote) as a {@link MajoritySignMessage}; a single
     * worker's {@link SignMessage} is already its own sign (1 bit per element) and goes as it is.
     */
    public static Message downlink(Message aggregate) {
        return aggregate instanceof SignMessage ? aggregate : MajoritySignMessage.of(cast(aggregate));
    }

    /**
     * Writes sign(vote) per element (+1, -1, or 0 for a tie) from a downlink, or from an aggregate
     * (a {@link VoteMessage} or one worker's {@link SignMessage}).
     */
    public static void finish(Message aggregate, float[] dst, int dstOffset) {
        if (aggregate instanceof SignMessage s) {
            s.decodeInto(dst, dstOffset);
            return;
        }
        if (aggregate instanceof MajoritySignMessage m) {
            m.decodeInto(dst, dstOffset);
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
