/**
 * The registries: one {@link io.lamina.compression.method.Method} per compression method in
 * {@link io.lamina.compression.method.Methods}, memories in {@link io.lamina.compression.method.Memories}; Kryo registration
 * ({@link io.lamina.compression.method.WireFormat}), compatibility checks and spec parsing derive from them.
 *
 * <p>The top of the library: may depend on every other package; none depends on it.
 */
package io.lamina.compression.method;
