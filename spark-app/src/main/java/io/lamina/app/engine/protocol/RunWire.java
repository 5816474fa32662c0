package io.lamina.app.engine.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.app.config.OptimizerPlacement;
import io.lamina.compression.Layout;
import io.lamina.compression.Segment;
import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.method.Memories;
import io.lamina.datasets.DataBlock;
import io.lamina.datasets.ImageShape;
import io.lamina.datasets.LabeledData;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire forms of what travels once per run (the step plan, the data sets and their blocks) and of
 * the evaluation counts: explicit fields, every count checked before it allocates, and no Java
 * serialization. The compressor and the memory travel as their canonical spec strings and are
 * parsed again (the registry validates them).
 */
final class RunWire {

    private static final int MAX_SEGMENTS = 1 << 20;
    private static final int MAX_DIMS = 8;

    private RunWire() {
    }

    static final class StepPlanSerializer extends Serializer<StepPlan> {
        StepPlanSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output out, StepPlan p) {
            out.writeString(p.runId());
            out.writeString(p.configJson());
            out.writeBoolean(p.graph());
            writeLayout(out, p.segments());
            out.writeString(p.compressor().spec());
            out.writeString(p.memory().spec());
            out.writeVarInt(p.batchPerWorker(), true);
            out.writeVarInt(p.stepsPerEpoch(), true);
            out.writeLong(p.seed());
            out.writeVarInt(p.workers(), true);
            out.writeVarInt(p.checksumEvery(), true);
            out.writeVarInt(p.optimizerOn().ordinal(), true);
            out.writeVarInt(p.theoryEvery(), true);
        }

        @Override
        public StepPlan read(Kryo kryo, Input in, Class<StepPlan> type) {
            String runId = string(in, "run id");
            String config = string(in, "network configuration");
            boolean graph = in.readBoolean();
            Layout segments = readLayout(in);
            String compressor = string(in, "compressor");
            String memory = string(in, "memory");
            int batch = WireLimits.readCount(in, 1, Integer.MAX_VALUE, "batch per worker");
            int stepsPerEpoch = WireLimits.readCount(in, 1, Integer.MAX_VALUE, "steps per epoch");
            long seed = in.readLong();
            int workers = WireLimits.readCount(in, 1, AggregateSerializer.MAX_PARTITIONS, "workers");
            int checksumEvery = WireLimits.readCount(in, 0, Integer.MAX_VALUE, "checksum interval");
            OptimizerPlacement on = OptimizerPlacement.values()[WireLimits.readCount(in, 0,
                    OptimizerPlacement.values().length - 1, "optimizer placement")];
            int theoryEvery = WireLimits.readCount(in, 0, Integer.MAX_VALUE, "theory interval");
            try {
                return new StepPlan(runId, config, graph, segments, Compressors.parse(compressor),
                        Memories.parse(memory), batch, stepsPerEpoch, seed, workers, checksumEvery, on, theoryEvery);
            } catch (IllegalArgumentException e) {
                throw new CorruptMessageException("step plan: " + e.getMessage(), e);
            }
        }
    }

    static final class LabeledDataSerializer extends Serializer<LabeledData> {
        LabeledDataSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output out, LabeledData d) {
            writeData(out, d);
        }

        @Override
        public LabeledData read(Kryo kryo, Input in, Class<LabeledData> type) {
            return readData(in);
        }
    }

    /** A block: partition, seed, its examples and their indices in the source data set. */
    static final class DataBlockSerializer extends Serializer<DataBlock> {
        DataBlockSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output out, DataBlock b) {
            out.writeVarInt(b.partition(), true);
            out.writeLong(b.seed());
            writeData(out, b.data());
            writeInts(out, b.sourceIndices());
        }

        @Override
        public DataBlock read(Kryo kryo, Input in, Class<DataBlock> type) {
            int partition = WireLimits.readCount(in, 0, AggregateSerializer.MAX_PARTITIONS, "block partition");
            long seed = in.readLong();
            LabeledData data = readData(in);
            int[] indices = readInts(in, "block source indices");
            try {
                return new DataBlock(partition, seed, data, indices);
            } catch (IllegalArgumentException e) {
                throw new CorruptMessageException("data block: " + e.getMessage(), e);
            }
        }
    }

    static final class EvalResultSerializer extends Serializer<EvalResult> {
        EvalResultSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output out, EvalResult r) {
            out.writeVarLong(r.correct(), true);
            out.writeDouble(r.lossSum());
            out.writeVarLong(r.count(), true);
        }

        @Override
        public EvalResult read(Kryo kryo, Input in, Class<EvalResult> type) {
            return new EvalResult(in.readVarLong(true), in.readDouble(), in.readVarLong(true));
        }
    }

    /** Examples: classes, shape, the labels, then the features (labels x shape size). */
    private static void writeData(Output out, LabeledData d) {
        out.writeVarInt(d.numClasses(), true);
        out.writeVarInt(d.shape().channels(), true);
        out.writeVarInt(d.shape().height(), true);
        out.writeVarInt(d.shape().width(), true);
        writeInts(out, d.labels());
        WireLimits.writeFloats(out, d.features(), 0, d.features().length);
    }

    private static LabeledData readData(Input in) {
        int classes = WireLimits.readCount(in, 1, Integer.MAX_VALUE, "classes");
        int channels = WireLimits.readCount(in, 1, WireLimits.MAX_SEGMENT_LENGTH, "channels");
        int height = WireLimits.readCount(in, 1, WireLimits.MAX_SEGMENT_LENGTH, "height");
        int width = WireLimits.readCount(in, 1, WireLimits.MAX_SEGMENT_LENGTH, "width");
        int[] labels = readInts(in, "labels");
        long features = (long) labels.length * channels * height * width;
        if (features > Integer.MAX_VALUE - 8) {
            throw new CorruptMessageException("data set of " + features + " values is too large");
        }
        float[] x = WireLimits.readFloats(in, (int) features, "features");
        try {
            return new LabeledData(x, labels, classes, new ImageShape(channels, height, width));
        } catch (IllegalArgumentException e) {
            throw new CorruptMessageException("data set: " + e.getMessage(), e);
        }
    }

    private static void writeLayout(Output out, Layout layout) {
        out.writeVarInt(layout.size(), true);
        for (Segment s : layout) {
            out.writeString(s.name());
            out.writeVarInt(s.offset(), true);
            out.writeVarInt(s.length(), true);
            writeInts(out, s.shape());
        }
    }

    private static Layout readLayout(Input in) {
        int n = WireLimits.readCount(in, 1, MAX_SEGMENTS, "layout segments");
        List<Segment> segments = new ArrayList<>(Math.min(n, 1024));
        for (int j = 0; j < n; j++) {
            String name = string(in, "segment name");
            int offset = WireLimits.readCount(in, 0, Integer.MAX_VALUE, "segment offset");
            int length = WireLimits.readLength(in, "segment");
            int[] shape = readInts(in, "segment shape");
            if (shape.length > MAX_DIMS) {
                throw new CorruptMessageException("segment " + name + " has " + shape.length + " dimensions");
            }
            segments.add(new Segment(name, offset, length, shape));
        }
        try {
            return Layout.of(segments);
        } catch (IllegalArgumentException e) {
            throw new CorruptMessageException("layout: " + e.getMessage(), e);
        }
    }

    /** Count, then varints. */
    private static void writeInts(Output out, int[] v) {
        out.writeVarInt(v.length, true);
        for (int x : v) {
            out.writeVarInt(x, true);
        }
    }

    /** Reads what {@link #writeInts} wrote; each varint takes a byte at least, so the count is checked against what is left. */
    private static int[] readInts(Input in, String what) {
        int n = WireLimits.readCount(in, 0, remaining(in), what + " count");
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readVarInt(true);
        }
        return v;
    }

    /**
     * What {@code Output.writeString} wrote, read without writing into the input: Kryo 4's
     * {@code Input.readString} clears the high bit of an ASCII string's last byte in the buffer
     * while it builds the String. A broadcast's bytes are one array that every task thread of an
     * executor (of the whole JVM in local mode) decodes, so another thread reading the same string
     * at that moment missed its end and read on ("Buffer underflow" in a resumed fit's checkpoint).
     */
    static String string(Input in, String what) {
        int first = in.readByte();
        String s;
        if ((first & 0x80) == 0) { // ASCII: 7-bit characters, the last one with the high bit set
            StringBuilder ascii = new StringBuilder().append((char) first);
            int b;
            do {
                b = in.readByte();
                ascii.append((char) (b & 0x7F));
            } while ((b & 0x80) == 0);
            s = ascii.toString();
        } else {
            in.setPosition(in.position() - 1); // null, empty or UTF-8: Kryo reads those without writing
            s = in.readString();
        }
        if (s == null) {
            throw new CorruptMessageException("missing " + what);
        }
        return s;
    }

    private static int remaining(Input in) {
        return in.limit() - in.position();
    }
}
