/**
 * Bit-level building blocks of the wire format: packed bits, fp16/bf16 ({@link io.lamina.compression.bits.Half}),
 * {@link io.lamina.compression.bits.BitReader}, the one varint size and the checked reads ({@link io.lamina.compression.bits.WireLimits}),
 * {@link io.lamina.compression.bits.CorruptMessageException}.
 *
 * <p>Depends on no other Lamina package (Kryo's streams only).
 */
package io.lamina.compression.bits;
