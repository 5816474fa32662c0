package io.lamina.compression.method;

/**
 * Why a compressor, memory and payload do not go together.
 *
 * @param rule    the rule broken, the same for every pair it rejects (the compatibility table's footnote)
 * @param message the error for this pair: names it and says what is allowed
 */
public record Rejection(String rule, String message) {
}
