package io.lamina.compression;

/**
 * The compressed form of one segment, as it travels between workers and the driver. A message
 * produced by one worker's {@link Compressor#encode} covers {@code workers() == 1}; a message
 * produced by {@link Compressor#merge} is the partial sum of {@code workers()} such messages.
 *
 * <p>Every message type has its own Kryo serializer (registered by
 * {@code io.lamina.compression.method.WireFormat}); its size on the wire is measured from Kryo's
 * output, never estimated. Messages are immutable once built, with one exception: a merge may
 * reuse the storage of its first argument ({@link Compressor#merge}), which the caller then no
 * longer uses. Plain immutable messages are records; the few whose arrays a merge reuses are
 * classes that say so.
 */
public interface Message {

    /** Number of elements of the segment this message encodes. */
    int length();

    /** Number of worker messages this one sums. */
    int workers();
}
