package io.lamina.compression;

import java.io.Serializable;

/**
 * A validated, serializable description of a compressor and its parameters (what the CLI's
 * {@code --compressor name[:params]} parses into). Parameters are checked when the spec is
 * built, so a wrong value fails before any training starts.
 */
public interface CompressorSpec extends Serializable {

    /** The registry name. */
    String name();

    /** The canonical spec string, e.g. {@code topk:ratio=0.01}; parsing it gives an equal spec. */
    String spec();

    /** A fresh compressor (with fresh per-segment state) for the given compression layout. */
    Compressor create(Layout segments);
}
