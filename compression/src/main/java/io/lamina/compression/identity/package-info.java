/**
 * The {@code none} method (dense fp32).
 *
 * <p>May depend on the root API, {@code bits} and {@code message}.
 */
package io.lamina.compression.identity;
