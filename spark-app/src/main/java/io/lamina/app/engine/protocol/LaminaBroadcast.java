package io.lamina.app.engine.protocol;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A broadcast of Lamina's bytes ({@link LaminaBytes}): Spark ships a plain {@code byte[]}, and
 * {@link #value()} decodes it once per JVM (cached, as Spark caches the bytes). The cache key is a
 * random id of the handle, not Spark's broadcast id: those restart from 0 in every SparkContext,
 * and a notebook may stop its context and start another in the same JVM.
 * The handle is small and Java-serializable, so it can sit in any task closure.
 */
public final class LaminaBroadcast<T> implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Decoded values by handle key; a few per run are live at once (plan, snapshot, downlinks). */
    private static final int CACHED = 16;
    private static final Map<String, Object> DECODED = new LinkedHashMap<>(CACHED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > CACHED;
        }
    };

    private final Broadcast<byte[]> bytes;
    private final Class<T> type;
    private final long size;
    private final String key = java.util.UUID.randomUUID().toString();

    private LaminaBroadcast(Broadcast<byte[]> bytes, Class<T> type, long size) {
        this.bytes = bytes;
        this.type = type;
        this.size = size;
    }

    /** Broadcasts {@code value} as Lamina's bytes. */
    public static <T> LaminaBroadcast<T> of(JavaSparkContext sc, T value, Class<T> type) {
        byte[] b = LaminaBytes.write(value);
        return new LaminaBroadcast<>(sc.broadcast(b), type, b.length);
    }

    /** The value, decoded from the broadcast bytes the first time this JVM asks. */
    public T value() {
        synchronized (DECODED) {
            Object v = DECODED.get(key);
            if (v != null) {
                return type.cast(v);
            }
        }
        T v = LaminaBytes.read(bytes.value(), type); // outside the lock: a snapshot may take a while
        synchronized (DECODED) {
            Object first = DECODED.putIfAbsent(key, v);
            return first == null ? v : type.cast(first);
        }
    }

    /** Length of the broadcast bytes (what each receiver gets, before Spark's own framing). */
    public long size() {
        return size;
    }

    /** Frees the broadcast on the cluster and its decoded value in this JVM. */
    public void destroy() {
        synchronized (DECODED) {
            DECODED.remove(key);
        }
        bytes.destroy(false);
    }
}
