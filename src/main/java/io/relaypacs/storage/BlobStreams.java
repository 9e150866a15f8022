package io.relaypacs.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;

/**
 * One stream made of parts read one after another (stored blobs, bytes between them), each opened only when the
 * reader reaches it and closed when it is done: a whole file joined from its chunks, or a multipart request of many
 * instances, streams with one part open at a time and nothing held in memory.
 */
public final class BlobStreams {
    private BlobStreams() {
    }

    /** A part of the stream, opened when reached. */
    @FunctionalInterface
    public interface Part {
        InputStream open() throws IOException;
    }

    public static Part blob(BlobStore store, String key) {
        return () -> store.open(key);
    }

    public static Part bytes(byte[] bytes) {
        return () -> new ByteArrayInputStream(bytes);
    }

    /** The parts in order, as one stream. A part that fails to open fails the read with its IOException. */
    public static InputStream sequence(List<Part> parts) {
        Iterator<Part> it = parts.iterator();
        return new SequenceInputStream(new Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return it.hasNext();
            }

            @Override
            public InputStream nextElement() {
                try {
                    return it.next().open();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }
}
