package io.relaypacs.upload;

import io.relaypacs.forward.InstanceResult;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** What the client (and the UI) is told about an upload. Serialized in snake_case. */
public record UploadStatus(UUID uploadId, String fileName, UploadState state, long size, int chunkSize,
                           int totalChunks, int receivedChunks, List<Integer> missingChunks, long bytesReceived,
                           List<InstanceResult> instances, String error, Instant createdAt, Instant expiresAt) {

    /** The same status with its words (the error, each instance's outcome) said by {@code say}, in the reader's language. */
    public UploadStatus said(UnaryOperator<String> say) {
        List<InstanceResult> spoken = instances == null ? null : instances.stream()
                .map(i -> new InstanceResult(i.sopInstanceUid(), i.sourceName(), i.state(), say.apply(i.message()))).toList();
        return new UploadStatus(uploadId, fileName, state, size, chunkSize, totalChunks, receivedChunks, missingChunks,
                bytesReceived, spoken, say.apply(error), createdAt, expiresAt);
    }
}
