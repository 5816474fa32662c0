package io.lamina.compression.lowrank;

import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.WireLimits;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Wire form of a {@link FactorMessage}: varint segment length, varint rows, varint cols, varint
 * workers, then {@code rows * cols} fp32 values (4 bytes each, column-major). A PowerSGD factor
 * of a segment of length L reshaped to n x m at rank r is therefore {@code 4 n r} (P) or
 * {@code 4 m r} (Q) bytes plus a header of 4 to 12 bytes (plus Kryo's class id).
 *
 * <p>Reading validates the header before allocating anything: {@code 1 <= length <= }
 * {@link WireLimits#MAX_SEGMENT_LENGTH}, rows and cols both zero or both positive, and
 * {@code rows * cols <= 2 * length} (a factor is never larger than the padded matrix of its segment).
 * The values are read in chunks, so a truncated stream fails after allocating about what arrived.
 */
public final class FactorMessageSerializer extends Serializer<FactorMessage> {

    public FactorMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, FactorMessage m) {
        out.writeVarInt(m.length(), true);
        out.writeVarInt(m.rows(), true);
        out.writeVarInt(m.cols(), true);
        out.writeVarInt(m.workers(), true);
        WireLimits.writeFloats(out, m.values(), 0, m.values().length); // pairs with readFloats
    }

    @Override
    public FactorMessage read(Kryo kryo, Input in, Class<FactorMessage> type) {
        int length = WireLimits.readCount(in, 1, WireLimits.MAX_SEGMENT_LENGTH, "factor segment length");
        int rows = WireLimits.readCount(in, 0, length, "factor rows");
        int cols = WireLimits.readCount(in, 0, length, "factor cols");
        if ((rows == 0) != (cols == 0)) {
            throw new CorruptMessageException("factor shape " + rows + " x " + cols
                    + ": rows and cols must both be zero (empty) or both positive");
        }
        long count = (long) rows * cols;
        if (count > 2L * length || count > WireLimits.MAX_SEGMENT_LENGTH) {
            throw new CorruptMessageException("factor shape " + rows + " x " + cols + " holds "
                    + count + " values, more than twice its segment's length " + length);
        }
        int workers = WireLimits.readCount(in, 1, Integer.MAX_VALUE, "factor workers");
        float[] values = WireLimits.readFloats(in, (int) count, "factor values");
        return new FactorMessage(length, rows, cols, values, workers);
    }
}
