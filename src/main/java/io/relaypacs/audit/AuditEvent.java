package io.relaypacs.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

import java.time.Instant;
import java.util.UUID;

/** One audit event; written once, never changed ({@link Immutable}). {@code detail} is a small JSON object. */
@Entity
@Immutable
@Table(name = "audit_event")
public class AuditEvent {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(nullable = false)
    private Instant at;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private AuditEventType type;
    private String actor;
    @Column(name = "clinic_id")
    private Long clinicId;
    @Column(name = "upload_id")
    private UUID uploadId;
    private String detail;

    protected AuditEvent() {
    }

    AuditEvent(Instant at, AuditEventType type, String actor, Long clinicId, UUID uploadId, String detail) {
        this.at = at;
        this.type = type;
        this.actor = actor;
        this.clinicId = clinicId;
        this.uploadId = uploadId;
        this.detail = detail;
    }

    public Long getId() {
        return id;
    }

    public Instant getAt() {
        return at;
    }

    public AuditEventType getType() {
        return type;
    }

    public String getActor() {
        return actor;
    }

    public Long getClinicId() {
        return clinicId;
    }

    public UUID getUploadId() {
        return uploadId;
    }

    public String getDetail() {
        return detail;
    }
}
