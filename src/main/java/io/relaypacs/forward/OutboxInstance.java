package io.relaypacs.forward;

import io.relaypacs.base.Text;
import io.relaypacs.dicom.StoredInstance;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.UUID;

/** An outbox row: one instance of an upload and its delivery state. */
@Entity
@Table(name = "instance")
class OutboxInstance {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "upload_id", nullable = false)
    private UUID uploadId;
    @Column(name = "source_name")
    private String sourceName;
    @Column(name = "sop_instance_uid")
    private String sopInstanceUid;
    @Column(name = "sop_class_uid")
    private String sopClassUid;
    @Column(name = "study_uid")
    private String studyUid;
    @Column(name = "series_uid")
    private String seriesUid;
    @Column(name = "transfer_syntax")
    private String transferSyntax;
    @Column(name = "storage_key")
    private String storageKey;
    @Column(name = "size_bytes", nullable = false)
    private long size;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private InstanceState state;
    private String message;
    /** Times the PACS acknowledged this instance but verification did not find it. */
    private int unconfirmed;
    /** How RelayPACS made the instance, when it did (a wrapped photo); kept with every later message. */
    private String note;
    @Column(nullable = false)
    private int attempts;
    @Column(name = "clinic_id")
    private Long clinicId;
    /** Where it is being sent; null until a destination exists. */
    @Column(name = "destination_id")
    private Long destinationId;
    /** Attempts at the current destination: decides when to fail over. */
    @Column(name = "destination_attempts", nullable = false)
    private int destinationAttempts;
    /** Moved to the fallback once; never moved back and forth. */
    @Column(name = "failed_over", nullable = false)
    private boolean failedOver;
    @Column(name = "next_attempt_at", nullable = false)
    private Instant nextAttemptAt;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    @Version
    private long version;

    protected OutboxInstance() {
    }

    static OutboxInstance queued(UUID uploadId, Long clinicId, Long destinationId, StoredInstance i, Instant now,
                                 Instant dueAt) {
        OutboxInstance row = new OutboxInstance();
        row.uploadId = uploadId;
        row.clinicId = clinicId;
        row.destinationId = destinationId;
        row.sourceName = Text.fit(i.sourceName(), 500);
        row.sopInstanceUid = i.header().sopInstanceUid();
        row.sopClassUid = i.header().sopClassUid();
        row.studyUid = i.header().studyInstanceUid();
        row.seriesUid = i.header().seriesInstanceUid();
        row.transferSyntax = i.header().transferSyntaxUid();
        row.storageKey = i.storageKey();
        row.size = i.size();
        row.note = Text.fit(i.note(), 200);
        row.state = InstanceState.QUEUED;
        row.message = "Waiting to be sent to the PACS.";
        row.nextAttemptAt = dueAt;
        row.createdAt = now;
        row.updatedAt = now;
        return row;
    }

    static OutboxInstance skipped(UUID uploadId, String sourceName, String reason, Instant now) {
        OutboxInstance row = new OutboxInstance();
        row.uploadId = uploadId;
        row.sourceName = Text.fit(sourceName, 500);
        row.state = InstanceState.SKIPPED;
        row.message = Text.fit(reason, 2000);
        row.nextAttemptAt = now;
        row.createdAt = now;
        row.updatedAt = now;
        return row;
    }

    /** Counts an acknowledged-but-missing verification; returns how many there have been. */
    int unconfirmedOnce() {
        return ++unconfirmed;
    }

    void update(InstanceState next, String message, Instant now) {
        this.state = next;
        this.message = Text.fit(message, 2000);
        this.updatedAt = now;
    }

    void retryAt(Instant when, String message, Instant now) {
        update(InstanceState.RETRY_WAIT, message, now);
        this.nextAttemptAt = when;
    }

    void purge(Instant now) {
        if (state != InstanceState.STORED && state != InstanceState.FAILED && state != InstanceState.SKIPPED) {
            update(InstanceState.FAILED, "Not delivered within the time RelayPACS may keep images, so it was deleted. "
                    + "Send it again.", now);
        }
        // What may identify the patient or the file goes: its name, its copy, its UIDs, and the message (which can
        // quote a path inside a ZIP). The outcome stays, in words, for the dashboard and the audit.
        this.sourceName = null;
        this.storageKey = null;
        this.sopInstanceUid = null;
        this.studyUid = null;
        this.seriesUid = null;
        this.message = switch (state) {
            case STORED -> "Delivered to the PACS. Its details were deleted after the time RelayPACS may keep them.";
            case SKIPPED -> "Not sent. Its details were deleted after the time RelayPACS may keep them.";
            default -> "Not delivered. Its details were deleted after the time RelayPACS may keep them.";
        };
    }

    void sendAgain(Long destination, String message, Instant now) {
        this.destinationId = destination;
        this.attempts = 0;
        this.destinationAttempts = 0;
        this.unconfirmed = 0;
        this.failedOver = false;
        this.createdAt = now; // the give-up deadline runs from now
        retryAt(now, message, now);
        this.state = InstanceState.QUEUED;
    }

    void countAttempt() {
        this.attempts++;
        this.destinationAttempts++;
    }

    /** Sends it to another destination from now on (due at once), starting its count there afresh. */
    void failOver(Long fallback, String message, Instant now) {
        switchTo(fallback, message, now);
        retryAt(now, message, now);
    }

    /** Moves a row being sent to another destination, keeping it claimed. */
    void switchTo(Long fallback, String message, Instant now) {
        this.destinationId = fallback;
        this.destinationAttempts = 0;
        this.failedOver = true;
        update(state, message, now);
    }

    void routeTo(Long destination) {
        this.destinationId = destination;
    }

    Long getClinicId() {
        return clinicId;
    }

    Long getDestinationId() {
        return destinationId;
    }

    int getDestinationAttempts() {
        return destinationAttempts;
    }

    boolean isFailedOver() {
        return failedOver;
    }

    /** When a waiting row is due again. */
    Instant getNextAttemptAt() {
        return nextAttemptAt;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Long getId() {
        return id;
    }

    UUID getUploadId() {
        return uploadId;
    }

    /** What a destination is handed to deliver this instance. */
    Destination.Outgoing outgoing() {
        return new Destination.Outgoing(sopInstanceUid, sopClassUid, storageKey, size, studyUid, transferSyntax);
    }

    String getSopInstanceUid() {
        return sopInstanceUid;
    }




    String getStorageKey() {
        return storageKey;
    }

    long getSize() {
        return size;
    }

    InstanceState getState() {
        return state;
    }

    String getMessage() {
        return message;
    }

    int getAttempts() {
        return attempts;
    }

    Instant getUpdatedAt() {
        return updatedAt;
    }

    InstanceResult toResult() {
        return new InstanceResult(sopInstanceUid, sourceName, state, note == null ? message : message + " " + note + ".");
    }
}
