package io.lamina.compression;

/**
 * The compressed form of one segment, as it travels between workers and the driver. A message
 * produced by one worker's {@link Compressor#encode} covers {@code workers() == 1}; a message
 * produced by {@link Compressor#merge} is the partial sum of {@code workers()} such messages.
 *
 * <p>Every message type has its own Kryo serializer (see {@link WireFormat}); its size on the
 * wire is measured from Kryo's output, never estimated. Messages are immutable once built.
 */
public interface Message {

    /** Number of elements of the segment this message encodes. */
    int length();

    /** Number of worker messages this one sums. */
    int workers();
}
