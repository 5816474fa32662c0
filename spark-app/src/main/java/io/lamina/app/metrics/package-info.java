/**
 * What a run shows and writes: the console progress line and the run folder
 * ({@code metrics.jsonl}, {@code summary.json}, {@code model.zip}). Listens to the engine's
 * step records; the engine does not depend on it.
 */
package io.lamina.app.metrics;
