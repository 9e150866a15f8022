package io.relaypacs.upload;

import java.time.Instant;
import java.util.UUID;

/** Answer to {@code POST /api/upload/init}. */
public record UploadStarted(UUID uploadId, int chunkSize, int totalChunks, Instant expiresAt) {
}
