package io.relaypacs.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Optional ability of a {@link BlobStore}: write an object through an {@link OutputStream}. Decorators that produce
 * their output by writing (encryption) use it to avoid a pipe and a thread per object.
 */
public interface StreamingWritable {

    /** Starts writing {@code key}; nothing is visible until {@link PendingBlob#commit()}. */
    PendingBlob create(String key) throws IOException;

    /** An object being written. Closing it without {@link #commit()} discards what was written. */
    abstract class PendingBlob extends OutputStream {
        /** Makes the object visible under its key, durably, replacing any previous object. */
        public abstract void commit() throws IOException;
    }
}
