package io.lamina.compression.wire;

/** Exact sizes of Kryo's primitive encodings, for choosing the smallest representation. */
public final class WireSizes {

    private WireSizes() {
    }

    /** Bytes of {@code Output.writeVarInt(v, true)}. */
    public static int varInt(int v) {
        if (v >>> 7 == 0) {
            return 1;
        }
        if (v >>> 14 == 0) {
            return 2;
        }
        if (v >>> 21 == 0) {
            return 3;
        }
        if (v >>> 28 == 0) {
            return 4;
        }
        return 5;
    }

    /** Bytes of a {@link io.lamina.compression.message.DenseMessage} (see {@link DenseMessageSerializer}). */
    public static long dense(int length, int workers) {
        return varInt(length) + varInt(workers) + 4L * length;
    }
}
