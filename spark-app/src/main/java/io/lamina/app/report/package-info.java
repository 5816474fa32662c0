/**
 * {@code lamina report}: reads finished runs and experiments from their folders ({@code summary.json},
 * {@code metrics.jsonl}) and writes a comparison: a table ({@code report.md}, {@code report.csv}),
 * PNG plots (JFreeChart, headless), one self-contained {@code report.html}, and a projection of the
 * step time for other worker counts and link speeds ({@link io.lamina.app.report.CostModel}).
 * Reads files only: depends on no engine or Spark package.
 */
package io.lamina.app.report;
