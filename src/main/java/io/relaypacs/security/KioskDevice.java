package io.relaypacs.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A clinic tablet in kiosk mode; see {@link KioskService}. */
@Entity
@Table(name = "kiosk_device")
class KioskDevice {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "clinic_id", nullable = false)
    private long clinicId;
    @Column(name = "user_id", nullable = false)
    private long userId;
    @Column(nullable = false)
    private String name;
    @Column(name = "key_hash", nullable = false, unique = true)
    private String keyHash;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected KioskDevice() {
    }

    KioskDevice(long clinicId, long userId, String name, String keyHash, Instant now) {
        this.clinicId = clinicId;
        this.userId = userId;
        this.name = name;
        this.keyHash = keyHash;
        this.createdAt = now;
    }

    long getUserId() {
        return userId;
    }

    long getClinicId() {
        return clinicId;
    }

    String getName() {
        return name;
    }

    boolean isRevoked() {
        return revokedAt != null;
    }
}
