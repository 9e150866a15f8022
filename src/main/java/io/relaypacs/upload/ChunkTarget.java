package io.relaypacs.upload;

import java.util.UUID;

/**
 * What taking a chunk needs to know of its upload, read in one plain query (not the whole entity through the ORM: this
 * is asked once per chunk).
 *
 * @param completed whether the client completed the upload (the whole file arrived), whatever became of it since
 */
record ChunkTarget(UUID id, long ownerId, UploadState state, long size, int chunkSize, int totalChunks,
                   boolean completed) {

    /** The length chunk {@code index} must have: the chunk size, except for a shorter last chunk. */
    long expectedLength(int index) {
        return index < totalChunks - 1 ? chunkSize : size - (long) chunkSize * (totalChunks - 1);
    }
}
