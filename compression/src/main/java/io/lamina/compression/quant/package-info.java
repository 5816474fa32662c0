/**
 * Quantisers (fp16/bf16, 8-bit, QSGD, TernGrad, natural compression, natural dithering), each beside its
 * message and serializer.
 *
 * <p>May depend on the root API, {@code bits}, {@code simd} and {@code message}.
 */
package io.lamina.compression.quant;
