package io.lamina.app.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.compression.Compressor;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.Segment;
import io.lamina.compression.TwoRoundCompressor;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.method.MessageType;
import io.lamina.compression.method.Methods;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;

/**
 * Every message type through Spark's own Kryo serializer with Lamina's registrator and registration
 * required (for users who put Lamina's types through Spark's Kryo themselves), both with Spark's default streams and with
 * {@code spark.kryo.unsafe=true}: what is decoded after the trip equals what was sent, bit for bit.
 */
class SparkWireFormatTest {

    /** Every example spec of every registered method. */
    private static final List<String> SPECS = Methods.allExamples();

    private static SparkConf withRegistrator() {
        SparkConf conf = SparkContexts.configure(new SparkConf(false), "local[1]", "wire-test");
        conf.set("spark.kryo.registrator", LaminaKryoRegistrator.class.getName());
        conf.set("spark.kryo.registrationRequired", "true");
        return conf;
    }

    private static SerializerInstance serializer(boolean unsafe) {
        SparkConf conf = withRegistrator();
        conf.set("spark.kryo.unsafe", Boolean.toString(unsafe));
        return new KryoSerializer(conf).newInstance();
    }

    private static Message roundTrip(SerializerInstance ser, Message m) {
        ClassTag<Object> tag = scala.reflect.ClassTag$.MODULE$.Any();
        ByteBuffer bytes = ser.serialize(m, tag);
        return (Message) ser.deserialize(bytes, tag);
    }

    @Test
    void sparksKryoRegistersEveryMessageTypeAtItsRegistryId() {
        SparkConf conf = withRegistrator();
        com.esotericsoftware.kryo.Kryo kryo = new KryoSerializer(conf).newKryo();
        for (MessageType<?> t : Methods.messageTypes()) {
            assertEquals(t.kryoId(), kryo.getRegistration(t.type()).getId(), t.type().getName());
        }
    }

    @Test
    void everyMessageSurvivesSparksSerializerExactly() {
        Layout layout = Layout.of(List.of(new Segment("w", 0, 6000, new int[] {60, 100}),
                new Segment("b", 6000, 37, new int[] {37}), new Segment("v", 6037, 20011, new int[] {20011})));
        for (boolean unsafe : new boolean[] {false, true}) {
            SerializerInstance ser = serializer(unsafe);
            for (String spec : SPECS) {
                Compressor c = Compressors.parse(spec).create(layout);
                SplittableRandom rnd = new SplittableRandom(7);
                float[] all = new float[layout.totalLength()];
                for (int i = 0; i < all.length; i++) {
                    all[i] = (float) (rnd.nextGaussian() * 0.3);
                }
                if (c.plansStep()) {
                    c.planStep(all, 3);
                }
                boolean sentAny = false;
                for (int j = 0; j < layout.size(); j++) {
                    Segment s = layout.get(j);
                    float[] x = java.util.Arrays.copyOfRange(all, s.offset(), s.end());
                    EncodeContext ctx = new EncodeContext(3, j, 1, 42);
                    String what = spec + " segment " + s.name() + (unsafe ? " (unsafe streams)" : "");
                    if (c instanceof TwoRoundCompressor t) {
                        Message m = t.round1(x, 0, x.length, ctx);
                        Message back = roundTrip(ser, m);
                        Message d1 = t.finishRound1(m);
                        Message d1Back = t.finishRound1(back);
                        float[] a = new float[x.length];
                        float[] b = new float[x.length];
                        t.finishRound2(j, d1, t.round2(x, 0, x.length, d1, ctx), a, 0);
                        Compressor c2 = Compressors.parse(spec).create(layout);
                        ((TwoRoundCompressor) c2).round1(x, 0, x.length, ctx);
                        ((TwoRoundCompressor) c2).finishRound2(j, d1Back,
                                roundTrip(ser, ((TwoRoundCompressor) c2).round2(x, 0, x.length, d1Back, ctx)), b, 0);
                        assertArrayEquals(a, b, what);
                        continue;
                    }
                    Message m = c.encode(x, 0, x.length, ctx);
                    float[] sent = new float[x.length];
                    c.decode(m, sent, 0);
                    Message back = roundTrip(ser, m);
                    float[] received = new float[x.length];
                    c.decode(back, received, 0);
                    assertArrayEquals(sent, received, what);
                    // ...and the aggregate of two such messages too (the downlink).
                    Message agg = c.merge(roundTrip(ser, m), roundTrip(ser, m));
                    float[] direct = new float[x.length];
                    float[] viaSpark = new float[x.length];
                    c.finish(agg, direct, 0);
                    c.finish(roundTrip(ser, c.merge(roundTrip(ser, m), roundTrip(ser, m))), viaSpark, 0);
                    assertArrayEquals(direct, viaSpark, what + " aggregate");
                    boolean anyNonZero = false;
                    for (float v : received) {
                        anyNonZero |= v != 0;
                    }
                    // a step planned over all segments (a byte budget) may leave a small segment empty
                    assertTrue(anyNonZero || c.plansStep(), what + ": nothing was sent");
                    sentAny |= anyNonZero;
                }
                assertTrue(sentAny || !c.plansStep(), spec + ": nothing was sent in any segment");
            }
        }
    }
}
