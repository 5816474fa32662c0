/**
 * Sign methods (signSGD, Signum, EF-signSGD, 1-bit SGD) with their messages, serializers and the majority vote.
 *
 * <p>May depend on the root API, {@code bits}, {@code simd} and {@code message}.
 */
package io.lamina.compression.sign;
