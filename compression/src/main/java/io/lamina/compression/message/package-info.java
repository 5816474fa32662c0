/**
 * Messages and serializers shared by several families: dense fp32, gathered per-worker codes
 * ({@link io.lamina.compression.message.CodedMessage}, {@link io.lamina.compression.message.GatheredMessage},
 * {@link io.lamina.compression.message.GatheringCompressor}: the gathered-then-dense merge rule), value precisions.
 *
 * <p>May depend on the root API and {@code bits}.
 */
package io.lamina.compression.message;
