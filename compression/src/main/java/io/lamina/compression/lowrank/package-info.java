/**
 * PowerSGD (a two-round method) with its factor message, serializer and matrix helpers.
 *
 * <p>May depend on the root API, {@code bits} and {@code message}.
 */
package io.lamina.compression.lowrank;
