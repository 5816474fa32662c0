/**
 * The DL4J side of a model: the built-in architectures and {@link io.lamina.app.model.Dl4jNet},
 * which exposes a network as one flat parameter vector with a tensor layout, computes gradients
 * and applies updates with DL4J's own updater. Depends on DL4J and the compression API (Layout) only.
 */
package io.lamina.app.model;
