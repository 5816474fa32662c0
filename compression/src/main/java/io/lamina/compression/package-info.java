/**
 * The API of the compression library: {@link io.lamina.compression.Compressor} (C, D and the merge rule),
 * {@link io.lamina.compression.TwoRoundCompressor}, {@link io.lamina.compression.RoundProtocol} (how the engine drives every
 * method), {@link io.lamina.compression.Message}, {@link io.lamina.compression.Memory}, the specs and the layout.
 *
 * <p>May depend only on {@code bits}. Implementations live in the family packages; the registry in
 * {@code method}. See docs/ARCHITECTURE.md and CONTRIBUTING.md.
 */
package io.lamina.compression;
