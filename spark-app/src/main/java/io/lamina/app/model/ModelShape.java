package io.lamina.app.model;

import java.io.Serializable;

/** The input and output of a classification network: image channels/height/width and classes. */
public record ModelShape(int channels, int height, int width, int numClasses) implements Serializable {

    public ModelShape {
        if (channels < 1 || height < 1 || width < 1 || numClasses < 2) {
            throw new IllegalArgumentException("invalid model shape " + channels + "x" + height + "x" + width
                    + " with " + numClasses + " classes");
        }
    }

    /** The shape and class count of a data set. */
    public static ModelShape of(io.lamina.datasets.LabeledData data) {
        return new ModelShape(data.shape().channels(), data.shape().height(), data.shape().width(), data.numClasses());
    }

    public int featureSize() {
        return channels * height * width;
    }
}
