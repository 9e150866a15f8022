package io.relaypacs.storage;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where RelayPACS keeps transit copies (chunks, assembled uploads, instances) until they are delivered or expire.
 *
 * <p>Keys are relative slash-separated names chosen by the caller (for example {@code uploads/<id>/chunks/3-<nonce>}).
 * A store streams: no method holds a whole object in memory. Callers validate content (digests, lengths) while they
 * stream; the store only guarantees that what {@link #open} returns is exactly what {@link #put} consumed, or an
 * {@link IOException} (a store that encrypts treats failed authentication as an error, never as data).
 */
public interface BlobStore {

    /**
     * Consumes {@code data} to its end and stores it under {@code key}, replacing any object with that key. The object
     * becomes visible only once complete: a failed or interrupted put leaves no partial object behind.
     *
     * @return the number of bytes consumed from {@code data}
     */
    long put(String key, InputStream data) throws IOException;

    /** Opens the object for reading; the caller closes the stream. Throws {@link BlobNotFoundException} if absent. */
    InputStream open(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /** Deletes one object; deleting an absent object is not an error. */
    void delete(String key) throws IOException;

    /** Deletes every object whose key starts with {@code prefix}. */
    void deleteAll(String prefix) throws IOException;

    /** Bytes used by stored objects (as stored, including any encryption overhead), for dashboards. */
    long usedBytes() throws IOException;
}
