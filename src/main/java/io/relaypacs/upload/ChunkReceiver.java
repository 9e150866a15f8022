package io.relaypacs.upload;

import io.micrometer.core.instrument.MeterRegistry;
import io.relaypacs.base.ApiProblem;
import io.relaypacs.base.Hashes;
import io.relaypacs.storage.BlobStore;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.io.EOFException;
import java.io.IOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.zip.ZipException;

/**
 * Takes one chunk of an upload: streams it into storage while decoding (when compressed in transit) and hashing it,
 * checks its length and digest, then records it. The same chunk sent again with the same digest is acknowledged
 * without rewriting; concurrent sends of one chunk store exactly one copy. No transaction is open while bytes stream.
 */
@Component
class ChunkReceiver {
    private final ChunkRows chunks;
    private final BlobStore store;
    private final UploadProperties properties;
    private final Clock clock;
    private final MeterRegistry metrics;

    ChunkReceiver(ChunkRows chunks, BlobStore store, UploadProperties properties, Clock clock, MeterRegistry metrics) {
        this.chunks = chunks;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
        this.metrics = metrics;
    }

    ChunkOutcome receive(ChunkTarget upload, int index, ChunkBody chunk) throws IOException {
        UUID uploadId = upload.id();
        if (index < 0 || index >= upload.totalChunks()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Chunk " + index + " does not exist: this upload has chunks 0 to "
                    + (upload.totalChunks() - 1) + ".");
        }
        String digest = chunk.expectedSha256();
        var existing = chunks.digestOf(uploadId, index);
        if (existing.isPresent()) {
            return sameOrConflict(existing.get(), digest, index);
        }
        if (upload.completed()) {
            // A retry that crossed the completion: the whole file is here (its chunks may already be joined and gone).
            return ChunkOutcome.ALREADY_STORED;
        }
        if (upload.state() != UploadState.RECEIVING) {
            throw new ApiProblem(HttpStatus.CONFLICT, "This upload is no longer receiving chunks (it is "
                    + upload.state().name().toLowerCase() + ").").with("state", upload.state());
        }
        long expected = upload.expectedLength(index);
        String key = UploadKeys.newChunk(uploadId, index);
        MessageDigest sha = Hashes.sha256();
        long received;
        try (DigestInputStream hashing = new DigestInputStream(chunk.decode(expected), sha)) {
            received = store.put(key, hashing);
        } catch (ZipException | EOFException damaged) {
            store.delete(key);
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Chunk " + index + " could not be decompressed (it was "
                    + "damaged or cut short on the way). It was not kept; send it again.");
        }
        String actual = Base64.getEncoder().encodeToString(sha.digest());
        if (received > expected && chunk.compressed()) {
            store.delete(key);
            throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "Chunk " + index + " decompresses to more than its "
                    + expected + " bytes. It was not kept.");
        }
        if (received != expected) {
            store.delete(key);
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Chunk " + index + " should be " + expected
                    + " bytes but " + (received > expected ? "more" : received) + " arrived. It was not kept; send it again.");
        }
        if (!actual.equals(digest)) {
            store.delete(key);
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Chunk " + index
                    + " was damaged on the way (its checksum does not match). It was not kept; send it again.");
        }
        Instant now = clock.instant();
        try {
            chunks.record(uploadId, index, (int) received, actual, key, now, now.plus(properties.expireAfter()));
        } catch (DataIntegrityViolationException race) {
            // Another request stored this chunk first: keep its copy, answer as for a repeat.
            store.delete(key);
            return sameOrConflict(chunks.digestOf(uploadId, index).orElseThrow(() -> race), digest, index);
        }
        metrics.counter("relaypacs.upload.bytes").increment(received);
        return ChunkOutcome.STORED;
    }

    private static ChunkOutcome sameOrConflict(String existingDigest, String digest, int index) {
        if (existingDigest.equals(digest)) {
            return ChunkOutcome.ALREADY_STORED;
        }
        throw new ApiProblem(HttpStatus.CONFLICT, "Chunk " + index
                + " was already received with different content. The file may have changed since it was picked; start it again.");
    }
}
