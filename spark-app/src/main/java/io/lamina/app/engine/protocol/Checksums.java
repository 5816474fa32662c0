package io.lamina.app.engine.protocol;

/** A 64-bit hash of a float array's exact bits: equal arrays, equal hash; any changed bit changes it (w.h.p.). */
public final class Checksums {

    private Checksums() {
    }

    public static long of(float[] values) {
        long h = 0x243F6A8885A308D3L ^ values.length;
        for (float v : values) {
            h = (h ^ Float.floatToRawIntBits(v)) * 0x100000001B3L;
            h ^= h >>> 29;
        }
        return h == 0 ? 1 : h;
    }
}
