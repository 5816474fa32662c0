package io.lamina.datasets;

import java.io.Serializable;

/**
 * The shape of one example as an image, channels x height x width, so that a CNN can reshape the
 * flat feature row. Non-image data uses {@link #flat(int)}: 1 x 1 x featureSize.
 */
public record ImageShape(int channels, int height, int width) implements Serializable {
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be positive, got "
                    + channels + "x" + height + "x" + width);
        }
        if ((long) channels * height * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image shape too large: " + channels + "x" + height + "x" + width);
        }
    }

    /** The shape of a flat feature vector of the given size. */
    public static ImageShape flat(int featureSize) {
        return new ImageShape(1, 1, featureSize);
    }

    /** Values per example: channels * height * width. */
    public int size() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
