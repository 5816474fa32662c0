/**
 * Memories (error feedback): none, residual, EF-signSGD's scaled residual, DGC momentum correction.
 *
 * <p>May depend on the root API only.
 */
package io.lamina.compression.memory;
