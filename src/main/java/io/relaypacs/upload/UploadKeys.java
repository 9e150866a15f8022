package io.relaypacs.upload;

import java.util.UUID;

/** Where an upload's bytes lie in the blob store: the one place that spells out the key layout. */
final class UploadKeys {
    private UploadKeys() {
    }

    /** Everything stored for one upload (deleted together when it ends). */
    static String of(UUID uploadId) {
        return "uploads/" + uploadId + "/";
    }

    /** All received chunks of an upload. */
    static String chunks(UUID uploadId) {
        return of(uploadId) + "chunks/";
    }

    /** One attempt at one chunk: a fresh suffix per attempt, so concurrent sends of one index never share an object. */
    static String newChunk(UUID uploadId, int index) {
        return chunks(uploadId) + index + "-" + UUID.randomUUID();
    }

    /** The whole file, joined from its chunks. */
    static String file(UUID uploadId) {
        return of(uploadId) + "file";
    }
}
