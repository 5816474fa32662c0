package io.lamina.compression.sparse;

import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.ValueCodec;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.message.ValuePrecision;

/**
 * Wire form of a {@link SparseMessage}, in this order:
 * <pre>
 *   varint length | varint workers | varint count
 *   1 byte tag    = index coding (0 varint, 1 packed) | value code (0 fp32, 1 fp16, 2 bf16) &lt;&lt; 4
 *   count values  (4 bytes each for fp32, 2 for fp16/bf16)
 *   indices       (see {@link SparseIndexCodec}; the smaller coding of the two)
 * </pre>
 * Size in bytes: {@code varint(length) + varint(workers) + varint(count) + 1 + count * valueBytes
 * + min(sum_j varint(g_j), varint(P) + P)} with {@code P = ceil(sum_blocks (6 + n_b * w_b) / 8)};
 * {@link #wireSize} computes it exactly.
 *
 * <p>Values come before indices so that a corrupt count cannot make the reader allocate the
 * index array before the bytes backing it (at least 2 per element) have arrived. Reading checks
 * length, workers, count <= length, the tag, every index (strictly increasing, below length)
 * and every block width, and throws {@link CorruptMessageException} naming the problem.
 */
public final class SparseMessageSerializer extends Serializer<SparseMessage> {

    private static final String WHAT = "sparse message";

    public SparseMessageSerializer() {
        setImmutable(true);
    }

    /** The index coding {@link #write} uses for {@code m}: the smaller one, varint on a tie. */
    public static int indexCoding(SparseMessage m) {
        return SparseIndexCodec.smallerCoding(m.indices(), m.count());
    }

    /** The exact number of bytes {@link #write} produces for {@code m}. */
    public static long wireSize(SparseMessage m) {
        int n = m.count();
        long index = Math.min(SparseIndexCodec.varintBytes(m.indices(), n),
                SparseIndexCodec.packedBytes(m.indices(), n));
        return WireLimits.varIntSize(m.length()) + WireLimits.varIntSize(m.workers()) + WireLimits.varIntSize(n) + 1
                + (long) n * m.precision().bytes() + index;
    }

    @Override
    public void write(Kryo kryo, Output out, SparseMessage m) {
        int n = m.count();
        int coding = indexCoding(m);
        out.writeVarInt(m.length(), true);
        out.writeVarInt(m.workers(), true);
        out.writeVarInt(n, true);
        out.writeByte(coding | ValueCodec.code(m.precision()) << 4);
        ValueCodec.write(out, m.values(), n, m.precision());
        if (coding == SparseIndexCodec.VARINT) {
            SparseIndexCodec.writeVarint(out, m.indices(), n);
        } else {
            SparseIndexCodec.writePacked(out, m.indices(), n);
        }
    }

    @Override
    public SparseMessage read(Kryo kryo, Input in, Class<SparseMessage> type) {
        int length = WireLimits.readCount(in, 1, WireLimits.MAX_SEGMENT_LENGTH, WHAT + " length");
        int workers = WireLimits.readCount(in, 1, Integer.MAX_VALUE, WHAT + " workers");
        int count = WireLimits.readCount(in, 0, length, WHAT + " count");
        int tag;
        try {
            tag = in.readByte() & 0xFF;
        } catch (KryoException e) {
            throw new CorruptMessageException("truncated " + WHAT + " while reading its tag", e);
        }
        int coding = tag & 0x0F;
        if (coding != SparseIndexCodec.VARINT && coding != SparseIndexCodec.PACKED) {
            throw new CorruptMessageException(WHAT + ": unknown index coding " + coding
                    + " in tag " + tag + " (known: 0 = varint, 1 = packed)");
        }
        ValuePrecision precision = ValueCodec.fromCode(tag >>> 4, WHAT);
        float[] values = ValueCodec.read(in, count, precision, WHAT + " values");
        int[] indices = coding == SparseIndexCodec.VARINT
                ? SparseIndexCodec.readVarint(in, count, length, WHAT + " indices")
                : SparseIndexCodec.readPacked(in, count, length, WHAT + " indices");
        try {
            return new SparseMessage(length, indices, values, precision, workers);
        } catch (IllegalArgumentException e) {
            throw new CorruptMessageException(WHAT + ": " + e.getMessage(), e);
        }
    }
}
