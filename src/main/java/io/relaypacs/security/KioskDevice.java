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
    @Column(name = "key_hash", unique = true)
    private String keyHash;
    @Column(name = "setup_code_hash", unique = true)
    private String setupCodeHash;
    @Column(name = "setup_expires_at")
    private Instant setupExpiresAt;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "set_up_at")
    private Instant setUpAt;
    @Column(name = "last_seen_at")
    private Instant lastSeenAt;
    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected KioskDevice() {
    }

    /** A tablet waiting to be set up with the code whose hash is given, until {@code setupExpiresAt}. */
    KioskDevice(long clinicId, long userId, String name, String setupCodeHash, Instant now, Instant setupExpiresAt) {
        this.clinicId = clinicId;
        this.userId = userId;
        this.name = name;
        this.setupCodeHash = setupCodeHash;
        this.setupExpiresAt = setupExpiresAt;
        this.createdAt = now;
    }

    boolean canBeSetUp(Instant now) {
        return setupCodeHash != null && keyHash == null && !isRevoked() && now.isBefore(setupExpiresAt);
    }

    /** The setup code is used up: from now on only the device key (its hash given) signs the tablet in. */
    void setUp(String keyHash, Instant now) {
        if (!canBeSetUp(now)) {
            throw new IllegalStateException("This tablet cannot be set up any more");
        }
        this.keyHash = keyHash;
        this.setupCodeHash = null;
        this.setupExpiresAt = null;
        this.setUpAt = now;
        this.lastSeenAt = now;
    }

    void seen(Instant now) {
        lastSeenAt = now;
    }

    void revoke(Instant now) {
        if (revokedAt == null) {
            revokedAt = now;
            setupCodeHash = null;
        }
    }

    Long getId() {
        return id;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getSetUpAt() {
        return setUpAt;
    }

    Instant getLastSeenAt() {
        return lastSeenAt;
    }

    Instant getSetupExpiresAt() {
        return setupExpiresAt;
    }

    Instant getRevokedAt() {
        return revokedAt;
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
