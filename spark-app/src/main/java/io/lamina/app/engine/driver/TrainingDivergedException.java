package io.lamina.app.engine.driver;

/** The loss or the averaged gradient became NaN or infinite; the last good model was kept. */
public class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
