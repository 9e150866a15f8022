package io.relaypacs.upload;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A QR pairing of a phone to a user's upload session; see {@link PairingService}. */
@Entity
@Table(name = "pairing")
class Pairing {
    @Id
    private UUID id;
    @Column(name = "code_hash", nullable = false, unique = true)
    private String codeHash;
    @Column(name = "user_id", nullable = false)
    private long userId;
    @Column(name = "batch_id", nullable = false)
    private String batchId;
    @Column(name = "patient_name")
    private String patientName;
    @Column(name = "patient_id")
    private String patientId;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;
    @Column(name = "used_at")
    private Instant usedAt;

    protected Pairing() {
    }

    Pairing(String codeHash, long userId, String batchId, String patientName, String patientId, Instant now, Instant expiresAt) {
        this.id = UUID.randomUUID();
        this.codeHash = codeHash;
        this.userId = userId;
        this.batchId = batchId;
        this.patientName = patientName;
        this.patientId = patientId;
        this.createdAt = now;
        this.expiresAt = expiresAt;
    }

    long getUserId() {
        return userId;
    }

    String getBatchId() {
        return batchId;
    }

    String getPatientName() {
        return patientName;
    }

    String getPatientId() {
        return patientId;
    }
}
