package io.lamina.compression.sign;

import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.CodedMessage;
import io.lamina.compression.Message;

/**
 * Summed sign votes of {@code workers} workers (signSGD / Signum with majority vote): per element
 * the number p of workers that sent +1, in {@code [0, workers]}. The vote (count of +1 minus
 * count of -1) is {@code 2p - workers}; storing p instead of the vote drops the parity bit, so the
 * codes need only {@code w = ceil(log2(workers + 1))} bits instead of ceil(log2(2 workers + 1)).
 * Merging adds counts: exact, in code space.
 * Wire: varint length, varint workers, then {@code ceil(length * w / 8)} bytes of p packed at w bits.
 *
 * <p>Not a record: {@link MajorityVote#merge} adds into the left operand's {@code plus} counts in
 * place (as {@code Compressor.merge} allows), so its contents change after construction.
 */
public final class VoteMessage implements Message {

    private final int workers;
    private final int[] plus;

    /** Takes ownership of {@code plus}; every count must lie in [0, workers]. */
    public VoteMessage(int workers, int[] plus) {
        if (workers < 1 || plus.length < 1) {
            throw new IllegalArgumentException("vote message: workers " + workers + ", length " + plus.length);
        }
        this.workers = workers;
        this.plus = plus;
    }

    /** Bits per count for {@code workers} workers: the bit length of {@code workers}. */
    public static int width(int workers) {
        return 32 - Integer.numberOfLeadingZeros(workers);
    }

    /** Per element, the number of +1 votes (not copied). */
    public int[] plus() {
        return plus;
    }

    /** The vote of element i: (+1 count) - (-1 count). */
    public int vote(int i) {
        return 2 * plus[i] - workers;
    }

    @Override
    public int length() {
        return plus.length;
    }

    @Override
    public int workers() {
        return workers;
    }

    /** Exact bytes of this message's body on the wire. */
    public long wireBytes() {
        return WireLimits.varIntSize(plus.length) + WireLimits.varIntSize(workers)
                + CodedMessage.packedBytes((long) plus.length * width(workers));
    }
}
