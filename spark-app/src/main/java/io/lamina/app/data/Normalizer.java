package io.lamina.app.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lamina.datasets.FeatureStats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The per-feature transform {@code x' = (x - shift) * scale} applied to every example, training
 * and test alike, computed from the training set: {@code standard} (shift = mean, scale =
 * 1/standard deviation), {@code minmax} (shift = min, scale = 1/(max - min)) or {@code none}. A
 * constant feature gets scale 1 (it becomes 0), never a division by zero. Written beside the
 * model as {@value #FILE_NAME}, so a loaded model applies the same transform.
 */
public final class Normalizer implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String FILE_NAME = "normalizer.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How features are scaled; {@code AUTO} picks per source (standard for CSV, LibSVM and rows, none for IDX and memory). */
    public enum Method {
        AUTO, STANDARD, MINMAX, NONE;

        public static final String ALLOWED = "auto, standard, minmax, none";

        public static Method parse(String s) {
            for (Method m : values()) {
                if (m.name().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown --normalize '" + s + "'; allowed: " + ALLOWED);
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** AUTO resolved: {@code whenAuto} for AUTO, itself otherwise. */
        public Method or(Method whenAuto) {
            return this == AUTO ? whenAuto : this;
        }
    }

    private final Method method;
    private final float[] shift;
    private final float[] scale;

    private Normalizer(Method method, float[] shift, float[] scale) {
        this.method = method;
        this.shift = shift;
        this.scale = scale;
    }

    /** The identity. */
    public static Normalizer none() {
        return new Normalizer(Method.NONE, new float[0], new float[0]);
    }

    /** The transform {@code method} (STANDARD, MINMAX or NONE) for {@code features} features with these figures. */
    public static Normalizer of(Method method, FeatureStats stats, int features) {
        if (method == Method.NONE) {
            return none();
        }
        if (method == Method.AUTO) {
            throw new IllegalArgumentException("resolve --normalize auto first");
        }
        float[] shift = new float[features];
        float[] scale = new float[features];
        for (int j = 0; j < features; j++) {
            double range = method == Method.STANDARD ? Math.sqrt(stats.variance(j)) : stats.max(j) - stats.min(j);
            shift[j] = (float) (method == Method.STANDARD ? stats.mean(j) : stats.min(j));
            // a constant feature: scale 1 (it becomes 0); a tiny spread could blow up, so the
            // float reciprocal must be finite too
            float s = range > 0 ? (float) (1.0 / range) : 1f;
            scale[j] = Float.isFinite(s) ? s : 1f;
        }
        return new Normalizer(method, shift, scale);
    }

    public Method method() {
        return method;
    }

    public boolean isIdentity() {
        return method == Method.NONE;
    }

    /** Features the transform was computed for (0 for none). */
    public int features() {
        return shift.length;
    }

    /** Transforms {@code rows} (row-major, {@code features} per row) in place. */
    public void apply(float[] rows, int features) {
        if (isIdentity()) {
            return;
        }
        if (features != shift.length || rows.length % features != 0) {
            throw new IllegalArgumentException("normalizer for " + shift.length + " features applied to rows of "
                    + features + " (" + rows.length + " values)");
        }
        for (int i = 0; i < rows.length; i += features) {
            for (int j = 0; j < features; j++) {
                rows[i + j] = (rows[i + j] - shift[j]) * scale[j];
            }
        }
    }

    /** A transformed copy of {@code rows}. */
    public float[] transform(float[] rows, int features) {
        float[] out = rows.clone();
        apply(out, features);
        return out;
    }

    /** Writes {@value #FILE_NAME} into {@code dir} (atomically). */
    public Path write(Path dir) throws IOException {
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        Files.write(tmp, json());
        return Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** The contents of {@value #FILE_NAME}. */
    public byte[] json() throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("method", method.cliName());
        n.put("formula", "x' = (x - shift) * scale");
        n.put("features", shift.length);
        n.set("shift", JSON.valueToTree(shift));
        n.set("scale", JSON.valueToTree(scale));
        return JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(n);
    }

    /** Reads a {@value #FILE_NAME} written by {@link #write}. */
    public static Normalizer read(Path file) throws IOException {
        JsonNode n = JSON.readTree(file.toFile());
        Method m = Method.parse(n.path("method").asText());
        if (m == Method.NONE) {
            return none();
        }
        float[] shift = JSON.treeToValue(n.get("shift"), float[].class);
        float[] scale = JSON.treeToValue(n.get("scale"), float[].class);
        if (m == Method.AUTO || shift == null || scale == null || shift.length != scale.length) {
            throw new IOException(file + ": not a normalizer (method, shift and scale of equal lengths)");
        }
        return new Normalizer(m, shift, scale);
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(method.ordinal());
            out.writeInt(shift.length);
            for (int j = 0; j < shift.length; j++) {
                out.writeFloat(shift[j]);
                out.writeFloat(scale[j]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Normalizer fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Method m = Method.values()[in.readByte()];
            int f = in.readInt();
            if (f < 0 || 5L + 8L * f != bytes.length) {
                throw new IllegalArgumentException("normalizer bytes of " + bytes.length + " claim " + f + " features");
            }
            float[] shift = new float[f];
            float[] scale = new float[f];
            for (int j = 0; j < f; j++) {
                shift[j] = in.readFloat();
                scale[j] = in.readFloat();
            }
            return new Normalizer(m, shift, scale);
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("corrupt normalizer bytes", e);
        }
    }

    @Override
    public String toString() {
        return method.cliName() + (isIdentity() ? "" : " over " + shift.length + " features");
    }
}
