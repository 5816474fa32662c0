/**
 * {@code lamina experiment}: grids of training runs described in YAML, validated on load, run one
 * after another in one Spark context, with a results table. Depends on the engine and metrics.
 */
package io.lamina.app.experiment;
