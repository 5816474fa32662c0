/**
 * The DL4J side of a model: the built-in architectures and {@link io.lamina.app.model.Dl4jNet},
 * which exposes a network as one flat parameter vector with a tensor layout, computes gradients
 * and applies updates with DL4J's own updater; {@link io.lamina.app.model.ModelSource} (built-in or
 * the user's network, {@link io.lamina.app.model.ModelFiles} reading {@code --model-file}) and
 * {@link io.lamina.app.model.ModelCheck} (a model against the data's shape). Depends on DL4J, the
 * compression API and the data sets' types only.
 */
package io.lamina.app.model;
