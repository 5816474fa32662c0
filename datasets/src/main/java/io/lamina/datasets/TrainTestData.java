package io.lamina.datasets;

import java.io.Serializable;
import java.util.Objects;

/** A training set and a test set with the same example shape and classes. */
public record TrainTestData(LabeledData train, LabeledData test) implements Serializable {
    public TrainTestData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (!train.shape().equals(test.shape()) || train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException("train (" + train + ") and test (" + test + ") do not match");
        }
    }
}
