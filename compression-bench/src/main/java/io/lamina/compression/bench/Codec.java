package io.lamina.compression.bench;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.Compressor;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Message;
import io.lamina.compression.TwoRoundCompressor;

/**
 * One worker's path to wire bytes and back, the same for every method: encode (both rounds for
 * a {@link TwoRoundCompressor}) + Kryo serialization into a reused {@link Output}; Kryo
 * deserialization + decode (for a two-round method: read both downlinks + finishRound2).
 * Everything works on segment 0 of a one-segment layout.
 */
final class Codec {

    static final long RUN_SEED = 42L;

    private final Compressor c;
    private final TwoRoundCompressor t;
    private final Kryo kryo;
    private final Output out;
    private final Input in = new Input();
    private long step;

    Codec(Compressor c, Kryo kryo, int length) {
        this.c = c;
        this.t = c instanceof TwoRoundCompressor tr ? tr : null;
        this.kryo = kryo;
        this.out = new Output(4 * length + 4096, -1);
    }

    /** Encodes to wire bytes; returns the number of bytes written (all of them, both rounds). */
    int encode(float[] values) {
        EncodeContext ctx = context(values);
        out.setPosition(0);
        if (t == null) {
            kryo.writeClassAndObject(out, c.encode(values, 0, values.length, ctx));
        } else {
            Message p = t.round1(values, 0, values.length, ctx);
            kryo.writeClassAndObject(out, p);
            Message pHat = t.finishRound1(p);
            kryo.writeClassAndObject(out, t.round2(values, 0, values.length, pHat, ctx));
        }
        return out.position();
    }

    /**
     * Encodes {@code steps} times, discarding the bytes: brings stateful methods (adaptive
     * thresholds, momentum, warm starts) to their steady state before sizes are measured.
     */
    void warm(float[] values, int steps) {
        for (int i = 0; i < steps; i++) {
            encode(values);
        }
    }

    /**
     * Encoded wire images for {@link #decode}: one message, or for a two-round method the round-1
     * downlink and the round-2 message; their total is the uplink size of both rounds.
     */
    byte[][] wireImages(float[] values) {
        EncodeContext ctx = context(values);
        if (t == null) {
            return new byte[][] {bytes(c.encode(values, 0, values.length, ctx))};
        }
        Message p = t.round1(values, 0, values.length, ctx);
        Message pHat = t.finishRound1(p);
        return new byte[][] {bytes(pHat), bytes(t.round2(values, 0, values.length, pHat, ctx))};
    }

    /** Deserializes and decodes into {@code dst}. */
    void decode(byte[][] images, float[] dst) {
        if (t == null) {
            in.setBuffer(images[0]);
            c.decode((Message) kryo.readClassAndObject(in), dst, 0);
        } else {
            in.setBuffer(images[0]);
            Message pHat = (Message) kryo.readClassAndObject(in);
            in.setBuffer(images[1]);
            Message q = (Message) kryo.readClassAndObject(in);
            t.finishRound2(0, pHat, q, dst, 0);
        }
    }

    /** The next step's context; a compressor that plans its steps (Top-k under a budget) plans it here. */
    private EncodeContext context(float[] values) {
        EncodeContext ctx = new EncodeContext(step++, 0, 0, RUN_SEED);
        if (c.plansStep()) {
            c.planStep(values, ctx.step());
        }
        return ctx;
    }

    private byte[] bytes(Message m) {
        out.setPosition(0);
        kryo.writeClassAndObject(out, m);
        return out.toBytes();
    }
}
