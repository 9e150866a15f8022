package io.relaypacs.upload;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A chunk the server holds, verified against {@code sha256} (base64, as in Content-Digest). */
@Entity
@Table(name = "upload_chunk")
class UploadChunk {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "upload_id", nullable = false)
    private UUID uploadId;
    @Column(name = "chunk_index", nullable = false)
    private int index;
    @Column(name = "length_bytes", nullable = false)
    private int length;
    @Column(nullable = false)
    private String sha256;
    @Column(name = "storage_key", nullable = false)
    private String storageKey;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected UploadChunk() {
    }

    UploadChunk(UUID uploadId, int index, int length, String sha256, String storageKey, Instant createdAt) {
        this.uploadId = uploadId;
        this.index = index;
        this.length = length;
        this.sha256 = sha256;
        this.storageKey = storageKey;
        this.createdAt = createdAt;
    }


    int getLength() {
        return length;
    }

    String getSha256() {
        return sha256;
    }

    String getStorageKey() {
        return storageKey;
    }
}
