package io.relaypacs.upload;

import io.relaypacs.base.Text;
import io.relaypacs.dicom.PhotoDetails;
import io.relaypacs.dicom.UidGenerator;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.springframework.data.domain.Persistable;

import java.time.Instant;
import java.util.UUID;

/** One resumable upload of one file, as the database keeps it across restarts. */
@Entity
@Table(name = "upload")
class UploadSession implements Persistable<UUID> {
    @Id
    private UUID id;
    @Column(name = "owner_id", nullable = false)
    private long ownerId;
    @Column(name = "clinic_id", nullable = false)
    private long clinicId;
    @Column(name = "file_name")
    private String fileName;
    @Column(name = "size_bytes", nullable = false)
    private long size;
    private String sha256;
    @Column(name = "content_type")
    private String contentType;
    @Column(name = "batch_id")
    private String batchId;
    @Column(name = "chunk_size", nullable = false)
    private int chunkSize;
    @Column(name = "total_chunks", nullable = false)
    private int totalChunks;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private UploadState state;
    private String error;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;
    @Version
    private long version;
    @Column(name = "patient_name")
    private String patientName;
    @Column(name = "patient_id")
    private String patientId;
    @Column(name = "patient_birth_date")
    private String patientBirthDate;
    @Column(name = "patient_sex")
    private String patientSex;
    @Column(name = "study_description")
    private String studyDescription;
    @Column(name = "accession_number")
    private String accessionNumber;
    /** The existing study the photos and documents join; null: a new study of the batch. */
    @Column(name = "study_instance_uid")
    private String studyInstanceUid;
    @Column(name = "study_date")
    private String studyDate;
    @Column(nullable = false)
    private boolean deidentify;
    @Column(name = "processing_attempts", nullable = false)
    private int processingAttempts;
    /** After storage trouble, processing waits until then; null: at once. */
    @Column(name = "process_after")
    private Instant processAfter;
    /** When the client completed it (every chunk had arrived); null before. */
    @Column(name = "completed_at")
    private Instant completedAt;
    /** When the transit copies and identifying columns were deleted; null until then. */
    @jakarta.persistence.Column(name = "purged_at")
    private Instant purgedAt;

    /** A new upload is inserted without first asking the database whether its (client-independent) id exists. */
    @jakarta.persistence.Transient
    private boolean isNew;

    protected UploadSession() {
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @jakarta.persistence.PostPersist
    @jakarta.persistence.PostLoad
    void stored() {
        isNew = false;
    }

    UploadSession(UUID id, long ownerId, long clinicId, String fileName, long size, String sha256, String contentType,
                  String batchId, int chunkSize, Instant now, Instant expiresAt) {
        this.id = id;
        this.ownerId = ownerId;
        this.clinicId = clinicId;
        this.fileName = fileName;
        this.size = size;
        this.sha256 = sha256;
        this.contentType = contentType;
        this.batchId = batchId;
        this.chunkSize = chunkSize;
        this.totalChunks = (int) Math.max(1, (size + chunkSize - 1) / chunkSize);
        this.state = UploadState.RECEIVING;
        this.createdAt = now;
        this.updatedAt = now;
        this.expiresAt = expiresAt;
        this.isNew = true;
    }

    /** Whether the client completed the upload: the whole file arrived (whatever became of it afterwards). */
    boolean wasCompleted() {
        return completedAt != null;
    }

    int getProcessingAttempts() {
        return processingAttempts;
    }

    void requireDeidentification() {
        this.deidentify = true;
    }

    boolean isDeidentify() {
        return deidentify;
    }

    void describePatient(UploadDeclaration.Patient p) {
        this.patientName = p.name();
        this.patientId = p.id();
        this.patientBirthDate = p.birthDate();
        this.patientSex = p.sex();
        this.studyDescription = p.studyDescription();
        this.accessionNumber = p.accessionNumber();
        this.studyInstanceUid = p.studyInstanceUid();
        this.studyDate = p.studyDate();
    }

    /**
     * Details for photos and documents of this upload: they join the study declared with them, else a study of the
     * batch's own; either way the series is shared by the whole batch.
     */
    PhotoDetails photoDetails(UidGenerator uids) {
        String batch = clinicId + "/" + (batchId != null ? batchId : id.toString());
        return new PhotoDetails(patientName, patientId, patientBirthDate, patientSex, studyDescription, accessionNumber,
                studyInstanceUid != null ? studyInstanceUid : uids.uidFor(batch + "/study"), uids.uidFor(batch + "/photos"),
                studyDate);
    }

    /** Every chunk is here and the client asked to complete. */
    void complete(Instant now) {
        move(UploadState.RECEIVED, now);
        completedAt = now;
    }

    /** Claimed by a pipeline worker for assembly and ingest. */
    void startProcessing(Instant now) {
        move(UploadState.PROCESSING, now);
    }

    /**
     * Processing stopped short (storage or database trouble, or a crashed instance's claim released): that counts as
     * an attempt, and the upload waits until {@code retryAt}. Returns how many attempts have failed so far.
     */
    int retryProcessing(Instant now, Instant retryAt) {
        move(UploadState.RECEIVED, now);
        processingAttempts++;
        processAfter = retryAt;
        return processingAttempts;
    }

    /** The instance processing it is shutting down: it is due again at once, elsewhere, without counting an attempt. */
    void handBack(Instant now) {
        move(UploadState.RECEIVED, now);
        processAfter = null;
    }

    /** Its instances are queued for the PACS. */
    void forwarding(Instant now) {
        move(UploadState.FORWARDING, now);
    }

    /** Every instance is settled and at least one reached the PACS. */
    void delivered(Instant now) {
        move(UploadState.DONE, now);
    }

    void fail(String reason, Instant now) {
        move(UploadState.FAILED, now);
        this.error = Text.fit(reason, 2000);
    }

    /** Not completed in time: its data is deleted. */
    void expire(String reason, Instant now) {
        move(UploadState.EXPIRED, now);
        this.error = reason;
    }

    /** An administrator sends its failed instances again. */
    void sendAgain(Instant now) {
        move(UploadState.FORWARDING, now);
        this.error = null;
    }

    private void move(UploadState next, Instant now) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("Upload " + id + " cannot go from " + state + " to " + next);
        }
        this.state = next;
        this.updatedAt = now;
    }

    /**
     * Forgets everything identifying (file name, batch, patient details typed for photos); an upload that never
     * finished is failed with a reason first. The state, sizes and counts stay for the dashboard and the audit.
     */
    void purge(Instant now) {
        if (state != UploadState.DONE && state != UploadState.FAILED && state != UploadState.EXPIRED) {
            fail("This upload was not delivered within the time RelayPACS may keep images, so its data was deleted. "
                    + "Send it again.", now);
        }
        this.fileName = null;
        this.batchId = null;
        this.sha256 = null; // a digest can confirm which file was sent
        this.patientName = null;
        this.patientId = null;
        this.patientBirthDate = null;
        this.patientSex = null;
        this.studyDescription = null;
        this.accessionNumber = null;
        this.studyInstanceUid = null;
        this.studyDate = null;
        this.purgedAt = now;
        this.updatedAt = now;
        this.processAfter = null;
    }


    @Override
    public UUID getId() {
        return id;
    }

    long getOwnerId() {
        return ownerId;
    }

    long getClinicId() {
        return clinicId;
    }

    String getFileName() {
        return fileName;
    }

    long getSize() {
        return size;
    }

    String getSha256() {
        return sha256;
    }

    String getContentType() {
        return contentType;
    }

    String getBatchId() {
        return batchId;
    }

    int getChunkSize() {
        return chunkSize;
    }

    int getTotalChunks() {
        return totalChunks;
    }

    UploadState getState() {
        return state;
    }

    String getError() {
        return error;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getUpdatedAt() {
        return updatedAt;
    }

    Instant getProcessAfter() {
        return processAfter;
    }

    Instant getExpiresAt() {
        return expiresAt;
    }
}
