package io.lamina.app.data;

import io.lamina.datasets.ImageShape;

/**
 * What the driver knows of a data set without holding it: the shape of one example, the number of
 * classes, and how many training and test examples there are.
 */
public record DataInfo(ImageShape shape, int numClasses, long trainExamples, long testExamples)
        implements java.io.Serializable {
    public DataInfo {
        if (numClasses < 1 || trainExamples < 1 || testExamples < 0) {
            throw new IllegalArgumentException("need classes >= 1, train examples >= 1, test examples >= 0; got "
                    + numClasses + ", " + trainExamples + ", " + testExamples);
        }
    }

    public int featureSize() {
        return shape.size();
    }
}
