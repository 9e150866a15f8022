package io.relaypacs.upload;

import io.relaypacs.forward.InstanceResult;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the client (and the UI) is told about an upload. Serialized in snake_case. */
public record UploadStatus(UUID uploadId, String fileName, UploadState state, long size, int chunkSize,
                           int totalChunks, int receivedChunks, List<Integer> missingChunks, long bytesReceived,
                           List<InstanceResult> instances, String error, Instant createdAt, Instant expiresAt) {
}
