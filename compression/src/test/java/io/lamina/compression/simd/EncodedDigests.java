package io.lamina.compression.simd;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.method.WireFormat;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of the wire bytes of every vectorised encoder on one fixed input: run in this JVM and in
 * one without the Vector API ({@link ScalarFallbackTest}), which prints {@link Simd#describe()}
 * and then the digests.
 */
public final class EncodedDigests {

    private static final String[] SPECS = {"threshold:v=0.5", "adaptive", "signsgd", "signum", "efsign", "fp16", "bf16",
        "topk:0.01", "qsgd:s=256", "qsgd:s=7,bucket=512",
        "terngrad", "terngrad:bucket=512", "terngrad:clip=1.0,bucket=77"};

    private EncodedDigests() {
    }

    static String digests() {
        // every encoder here must accept the input (QSGD's norm must fit fp32)
        float[] x = KernelInputs.finite(10_007, 7, 40, 1e30f);
        Layout layout = Layout.single("x", x.length);
        Kryo kryo = WireFormat.newKryo();
        StringBuilder sb = new StringBuilder();
        try {
            for (String spec : SPECS) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                var c = Compressors.parse(spec).create(layout);
                for (int step = 0; step < 2; step++) { // twice: stateful encoders change state
                    Message m = c.encode(x, 0, x.length, new EncodeContext(step, 0, 0, 42L));
                    Output out = new Output(1 << 16, -1);
                    kryo.writeClassAndObject(out, m);
                    md.update(out.toBytes());
                }
                sb.append(spec).append('=').append(java.util.HexFormat.of().formatHex(md.digest(), 0, 8)).append(' ');
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return sb.toString().strip();
    }

    public static void main(String[] args) {
        System.out.println(Simd.describe());
        System.out.println(digests());
    }
}
