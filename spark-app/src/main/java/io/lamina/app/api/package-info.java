/**
 * The Java API for notebooks and programs: {@link io.lamina.app.api.Lamina#trainer} returns a
 * builder over any SparkContext; {@link io.lamina.app.api.TrainingResult} holds the outcome.
 * Depends on the engine and the metrics writers; nothing in the engine depends on it.
 */
package io.lamina.app.api;
