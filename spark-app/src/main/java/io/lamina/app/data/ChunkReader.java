package io.lamina.app.data;

import java.io.Serializable;

/**
 * Reads examples of a data set stored as numbered chunks, on an executor. Chunk ids cover the
 * training chunks first, then the test chunks.
 */
interface ChunkReader extends Serializable {
    /**
     * Appends examples {@code from .. to-1} of chunk {@code chunk} (in stored order, unnormalised)
     * to {@code into}; {@code firstIndex} is the stored-order index of the chunk's first example
     * (for the blocks' source indices).
     *
     * @throws io.lamina.datasets.DatasetException naming the file and the line or record
     */
    void read(int chunk, long from, long to, long firstIndex, Examples into);

    /** After a task's last {@link #read}: frees what the reader kept open. */
    default void done() {
    }
}
