package io.lamina.compression;

import java.io.Serializable;

/** A serializable description of a {@link Memory}; creates one per worker for a layout. */
public interface MemorySpec extends Serializable {

    String name();

    String spec();

    Memory create(Layout segments);
}
