package io.lamina.compression.sign;

import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.PackedBits;
import io.lamina.compression.bits.WireLimits;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Wire form: varint length, varint workers, then per element the count of +1 votes at
 * ceil(log2(workers + 1)) bits. Reading checks every count against the worker count.
 */
public final class VoteMessageSerializer extends Serializer<VoteMessage> {

    /** At most this many workers in one vote (2^24). */
    public static final int MAX_WORKERS = 1 << 24;

    public VoteMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, VoteMessage m) {
        int n = m.length();
        int w = VoteMessage.width(m.workers());
        long[] words = new long[PackedBits.words((long) n * w)];
        int[] plus = m.plus();
        long bit = 0;
        for (int i = 0; i < n; i++, bit += w) {
            int wi = (int) (bit >>> 6);
            int sh = (int) (bit & 63);
            words[wi] |= (long) plus[i] << sh;
            if (sh + w > 64) {
                words[wi + 1] |= (long) plus[i] >>> (64 - sh);
            }
        }
        out.writeVarInt(n, true);
        out.writeVarInt(m.workers(), true);
        PackedBits.write(out, words, (long) n * w);
    }

    @Override
    public VoteMessage read(Kryo kryo, Input in, Class<VoteMessage> type) {
        int n = WireLimits.readLength(in, "vote");
        int workers = WireLimits.readCount(in, 1, MAX_WORKERS, "vote workers");
        int w = VoteMessage.width(workers);
        long[] words = PackedBits.read(in, (long) n * w, "vote counts");
        int[] plus = new int[n];
        for (int i = 0; i < n; i++) {
            int c = PackedBits.get(words, i, w);
            if (c > workers) {
                throw new CorruptMessageException("vote count " + c + " at element " + i
                        + " exceeds the " + workers + " workers");
            }
            plus[i] = c;
        }
        return new VoteMessage(workers, plus);
    }
}
