package io.lamina.compression.sign;

import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.CodedMessage;

/**
 * The downlink of majority vote (signSGD, Signum): per element only sign(vote) in {-1, 0, +1},
 * which is all a replica applies, instead of the {@link VoteMessage} counts. Two bit-planes
 * ({@link SignBits} layout): {@code negative} (the vote was &lt; 0) and, only if some vote tied
 * (possible for an even number of workers only), {@code ties} (the vote was 0); every other
 * element is +1.
 * Wire: varint length, varint workers, 1 byte (1 if the tie plane follows, else 0), then
 * {@code ceil(length / 8)} bytes of negative bits, then as many of tie bits if present: at most
 * 2 bits per element, 1 without ties.
 *
 * <p>The arrays are not copied: the message takes ownership of them, and they must not be
 * modified after construction.
 *
 * @param length number of elements
 * @param workers number of workers whose votes were counted
 * @param negative bit i set iff element i's vote is negative
 * @param ties bit i set iff element i's vote is 0; null if no vote tied
 */
public record MajoritySignMessage(int length, int workers, long[] negative, long[] ties) implements CodedMessage {

    public MajoritySignMessage {
        int words = SignBits.words(length);
        if (length < 1 || workers < 1 || negative.length != words || (ties != null && ties.length != words)) {
            throw new IllegalArgumentException("majority sign message: length " + length + ", workers " + workers
                    + " and word counts disagree");
        }
    }

    /** sign(vote) of every element of {@code votes}, as planes. */
    public static MajoritySignMessage of(VoteMessage votes) {
        int n = votes.length();
        long[] negative = new long[SignBits.words(n)];
        long[] ties = new long[negative.length];
        boolean tied = false;
        for (int i = 0; i < n; i++) {
            int vote = votes.vote(i);
            negative[i >>> 6] |= (vote < 0 ? 1L : 0L) << i;
            ties[i >>> 6] |= (vote == 0 ? 1L : 0L) << i;
            tied |= vote == 0;
        }
        return new MajoritySignMessage(n, votes.workers(), negative, tied ? ties : null);
    }

    /** sign(vote) of element i: -1, 0 or +1. */
    public int sign(int i) {
        if (ties != null && ((ties[i >>> 6] >>> i) & 1L) != 0) {
            return 0;
        }
        return ((negative[i >>> 6] >>> i) & 1L) != 0 ? -1 : 1;
    }

    @Override
    public long wireBytes() {
        long plane = CodedMessage.packedBytes(length);
        return WireLimits.varIntSize(length) + WireLimits.varIntSize(workers) + 1 + (ties == null ? plane : 2 * plane);
    }

    /** Writes sign(vote) per element. */
    @Override
    public void decodeInto(float[] dst, int dstOffset) {
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = sign(i);
        }
    }
}
