package io.lamina.compression.bench;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.Layout;
import io.lamina.compression.method.WireFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the four benchmarks in one go (registered compressors only; unregistered names are
 * skipped with a line) and prints one Markdown table per size, side by side: encode and decode
 * throughput, their ratio to the streaming sum, bytes on the wire per element (and per kept
 * element for sparsifiers), ND4J's native threshold encoding, the targets, and a line of
 * lower bounds ({@link BoundsBench}).
 *
 * <p>System properties: {@code bench.sizes} (default {@code 1000000,10000000}),
 * {@code bench.methods} (default: every registered one), {@code bench.wi} / {@code bench.i}
 * (warm-up and measurement iterations of 1 s, default 3 and 5), {@code bench.out} (where the
 * Markdown goes, default {@code bench-results.md}).
 */
public final class RunAll {

    /** Encodes done before sizes are measured, so stateful methods are in their steady state. */
    static final int WARM_STEPS = 10;

    private RunAll() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        String[] sizes = System.getProperty("bench.sizes", "1000000,10000000").split(",");
        List<String> methods = System.getProperty("bench.methods") == null ? BenchSpecs.available()
                : List.of(System.getProperty("bench.methods").split(","));
        int wi = Integer.getInteger("bench.wi", 3);
        int iters = Integer.getInteger("bench.i", 5);
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .include(CompressorBench.class.getName() + ".*")
                .include(StreamingSumBench.class.getName() + ".*")
                .include(Nd4jThresholdBench.class.getName() + ".*")
                .include(BoundsBench.class.getName() + ".*")
                .param("size", sizes)
                .param("method", methods.toArray(new String[0]))
                .forks(1)
                .threads(1)
                .warmupIterations(wi)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iters)
                .measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(false);
        Collection<RunResult> results = new Runner(opts.build()).run();

        Map<String, Double> ms = new HashMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String key = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1)
                    + "|" + r.getParams().getParam("size") + "|" + r.getParams().getParam("method");
            ms.put(key, r.getPrimaryResult().getScore());
        }
        StringBuilder md = new StringBuilder();
        for (String s : sizes) {
            md.append(table(Integer.parseInt(s.trim()), methods, ms));
        }
        System.out.println();
        System.out.println(md);
        Path out = Path.of(System.getProperty("bench.out", "bench-results.md"));
        Files.writeString(out, md.toString());
        System.out.println("written to " + out.toAbsolutePath());
    }

    private static String table(int size, List<String> methods, Map<String, Double> ms) {
        float[] values = BenchData.gaussian(size);
        double sumMs = ms.getOrDefault("StreamingSumBench.sum|" + size + "|null", Double.NaN);
        Double ndEnc = ms.get("Nd4jThresholdBench.encode|" + size + "|null");
        Double ndDec = ms.get("Nd4jThresholdBench.decode|" + size + "|null");
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n### %,d Gaussian floats, one thread%n%n", size));
        b.append("| method | setting | encode M el/s | decode M el/s | encode / sum | decode / sum "
                + "| wire bytes | bytes / element | bytes / kept element | target | result |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        b.append(String.format(Locale.ROOT, "| streaming sum (8 accumulators) | - | %s | - | 1.00 | - | - | - | - | - | - |%n",
                rate(size, sumMs)));
        long ndKept = 0;
        for (float v : values) {
            if (Math.abs(v) >= BenchData.THRESHOLD_1PCT) {
                ndKept++;
            }
        }
        long ndBytes = nd4jEncodedBytes(values);
        b.append(String.format(Locale.ROOT, "| ND4J thresholdEncode (native) | t=%.4f | %s | %s | %s | %s | %d | %.4f | %.2f | - | - |%n",
                BenchData.THRESHOLD_1PCT, rate(size, ndEnc), rate(size, ndDec), ratio(sumMs, ndEnc), ratio(sumMs, ndDec),
                ndBytes, (double) ndBytes / size, (double) ndBytes / ndKept));
        for (String m : methods) {
            CompressorSpec spec;
            try {
                spec = BenchSpecs.resolve(m);
            } catch (RuntimeException e) {
                b.append("| ").append(m).append(" | invalid setting: ").append(e.getMessage()).append(" |\n");
                continue;
            }
            if (spec == null) {
                b.append("| ").append(m).append(" | not registered: skipped | | | | | | | | | |\n");
                continue;
            }
            Double enc = ms.get("CompressorBench.encode|" + size + "|" + m);
            Double dec = ms.get("CompressorBench.decode|" + size + "|" + m);
            long bytes;
            long kept = 0;
            try {
                Codec codec = new Codec(spec.create(Layout.single("x", size)), WireFormat.newKryo(), size);
                codec.warm(values, WARM_STEPS);
                byte[][] images = codec.wireImages(values);
                bytes = 0;
                for (byte[] im : images) {
                    bytes += im.length;
                }
                float[] dst = new float[size];
                codec.decode(images, dst);
                for (float v : dst) {
                    if (v != 0) {
                        kept++;
                    }
                }
            } catch (RuntimeException e) {
                b.append("| ").append(m).append(" | ").append(spec.spec()).append(" | failed: ")
                        .append(e).append(" |\n");
                continue;
            }
            String perKept = BenchSpecs.sparsifier(m) && kept > 0
                    ? String.format(Locale.ROOT, "%.2f", (double) bytes / kept) : "-";
            String[] target = target(m, size, bytes, kept, sumMs, enc, ndEnc);
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d | %.4f | %s | %s | %s |%n",
                    m, spec.spec(), rate(size, enc), rate(size, dec), ratio(sumMs, enc), ratio(sumMs, dec),
                    bytes, (double) bytes / size, perKept, target[0], target[1]));
        }
        b.append(String.format(Locale.ROOT, "%nLower bounds (BoundsBench, not compressors): "
                + "bf16 truncation (8 lanes) straight into Kryo's buffer %s M el/s (%sx sum); the same through a "
                + "fresh message-owned payload + writeBytes %s M el/s (%sx, the floor of fp16/bf16); the plain scalar threshold "
                + "scan alone %s M el/s (%sx).%n",
                rate(size, ms.get("BoundsBench.bf16Direct|" + size + "|null")),
                ratio(sumMs, ms.get("BoundsBench.bf16Direct|" + size + "|null")),
                rate(size, ms.get("BoundsBench.bf16ViaMessage|" + size + "|null")),
                ratio(sumMs, ms.get("BoundsBench.bf16ViaMessage|" + size + "|null")),
                rate(size, ms.get("BoundsBench.selectOnly|" + size + "|null")),
                ratio(sumMs, ms.get("BoundsBench.selectOnly|" + size + "|null"))));
        Double thEnc = ms.get("CompressorBench.encode|" + size + "|threshold");
        Double thDec = ms.get("CompressorBench.decode|" + size + "|threshold");
        b.append(String.format(Locale.ROOT, "%nLamina threshold / ND4J native threshold: encode %sx, decode %sx "
                + "(ND4J's decode only adds +-t at the kept indices; Lamina's writes the whole segment).%n",
                ndEnc == null || thEnc == null ? "n/a" : String.format(Locale.ROOT, "%.2f", ndEnc / thEnc),
                ndDec == null || thDec == null ? "n/a" : String.format(Locale.ROOT, "%.2f", ndDec / thDec)));
        return b.toString();
    }

    /** The target for this method, and whether it is met (judged at every size). */
    private static String[] target(String m, int size, long bytes, long kept, double sumMs, Double enc, Double ndEnc) {
        double r = enc == null ? Double.NaN : sumMs / enc;
        List<String> t = new ArrayList<>();
        List<Boolean> ok = new ArrayList<>();
        switch (m) {
            case "topk" -> {
                t.add("<= 3.5 B/kept");
                ok.add((double) bytes / kept <= 3.5);
                t.add("encode >= 0.2x sum");
                ok.add(r >= 0.2);
            }
            case "signsgd" -> {
                t.add("~1 bit/el + scales (<= 1.01)");
                ok.add(bytes * 8.0 / size <= 1.01);
                t.add("encode >= 0.5x sum");
                ok.add(r >= 0.5);
            }
            case "signum", "efsign", "qsgd", "qsgd-bucket", "terngrad", "terngrad-bucket", "fp16" -> {
                t.add("encode >= 0.5x sum");
                ok.add(r >= 0.5);
            }
            case "threshold" -> {
                t.add("encode >= 0.5x sum");
                ok.add(r >= 0.5);
                double vsNd = enc == null || ndEnc == null ? Double.NaN : ndEnc / enc;
                t.add(String.format(Locale.ROOT, ">= 2x ND4J (%.2fx)", vsNd));
                ok.add(vsNd >= 2);
            }
            default -> {
                return new String[] {"-", "-"};
            }
        }
        StringBuilder res = new StringBuilder();
        for (int i = 0; i < ok.size(); i++) {
            res.append(i == 0 ? "" : ", ").append(ok.get(i) ? "PASS" : "FAIL");
        }
        return new String[] {String.join("; ", t), res.toString()};
    }

    /** Size of ND4J's encoded buffer (an int array: header + one int per kept element), measured. */
    private static long nd4jEncodedBytes(float[] values) {
        org.nd4j.linalg.api.ndarray.INDArray in = org.nd4j.linalg.factory.Nd4j.createFromArray(values.clone());
        org.nd4j.linalg.api.ndarray.INDArray enc =
                org.nd4j.linalg.factory.Nd4j.getExecutioner().thresholdEncode(in, BenchData.THRESHOLD_1PCT);
        return enc == null ? 0 : enc.length() * enc.dataType().width();
    }

    private static String rate(int size, Double ms) {
        return ms == null || ms.isNaN() ? "n/a" : String.format(Locale.ROOT, "%,.0f", size / ms / 1000.0);
    }

    private static String ratio(double sumMs, Double ms) {
        return ms == null || ms.isNaN() ? "n/a" : String.format(Locale.ROOT, "%.2f", sumMs / ms);
    }
}
