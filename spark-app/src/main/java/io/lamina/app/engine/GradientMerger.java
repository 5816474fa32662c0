package io.lamina.app.engine;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import org.apache.spark.api.java.function.Function2;

/**
 * The {@code treeReduce} function: merges two partial aggregates segment by segment with the
 * compressor's own rule (sparse union, sum in code space, gathered-then-dense, majority-vote
 * counts), and the bookkeeping fields by sum or max. Associative and commutative.
 */
final class GradientMerger implements Function2<GradientMessage, GradientMessage, GradientMessage> {

    private static final long serialVersionUID = 1L;

    private final CompressorSpec spec;
    private final Layout segments;
    private transient Compressor compressor;

    GradientMerger(CompressorSpec spec, Layout segments) {
        this.spec = spec;
        this.segments = segments;
    }

    @Override
    public GradientMessage call(GradientMessage a, GradientMessage b) {
        if (a.step != b.step || a.round != b.round) {
            throw new IllegalStateException("cannot merge messages of step/round " + a.step + "/" + a.round + " and "
                    + b.step + "/" + b.round);
        }
        GradientMessage m = new GradientMessage(a.step);
        m.round = a.round;
        m.segmentBytes = sum(a.segmentBytes, b.segmentBytes);
        m.segmentNonZeros = sum(a.segmentNonZeros, b.segmentNonZeros);
        m.residualNormSq = a.residualNormSq + b.residualNormSq;
        m.workers = a.workers + b.workers;
        m.needSnapshot = a.needSnapshot + b.needSnapshot;
        m.rebuilt = a.rebuilt + b.rebuilt;
        m.lossSum = a.lossSum + b.lossSum;
        m.examples = a.examples + b.examples;
        m.maxComputeNanos = Math.max(a.maxComputeNanos, b.maxComputeNanos);
        m.sumComputeNanos = a.sumComputeNanos + b.sumComputeNanos;
        m.sumEncodeNanos = a.sumEncodeNanos + b.sumEncodeNanos;
        m.sumApplyNanos = a.sumApplyNanos + b.sumApplyNanos;
        m.uplinkBytes = a.uplinkBytes + b.uplinkBytes;
        m.checksums = mergeChecksums(a.checksums, b.checksums);
        if (a.segments != null && b.segments != null) {
            if (compressor == null) {
                compressor = spec.create(segments);
            }
            m.segments = new Message[a.segments.length];
            for (int j = 0; j < m.segments.length; j++) {
                m.segments[j] = compressor.merge(a.segments[j], b.segments[j]);
            }
        } else if (m.needSnapshot == 0) {
            throw new IllegalStateException("step " + a.step + ": a message without segments that asked for nothing");
        }
        return m;
    }

    private static long[] sum(long[] a, long[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        long[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += b[i];
        }
        return out;
    }

    private static long[] mergeChecksums(long[] a, long[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        long[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                out[i] = b[i];
            }
        }
        return out;
    }
}
