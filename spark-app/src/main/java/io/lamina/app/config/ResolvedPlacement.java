package io.lamina.app.config;

/**
 * Where a run's optimizer runs, once {@code auto} is resolved.
 *
 * @param placement the master or the workers: what the engine gets
 * @param why       null when the user asked for it; else auto's reason, e.g.
 *                  {@code auto: topk is a biased sparsifier with error feedback}
 */
public record ResolvedPlacement(OptimizerPlacement placement, String why) {

    /** For the start line: {@code the workers (auto: topk is a biased sparsifier with error feedback)}. */
    public String describe() {
        return "the " + placement.cliName() + (why == null ? "" : " (" + why + ")");
    }
}
