package io.relaypacs.upload;

import io.micrometer.core.instrument.MeterRegistry;
import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import io.relaypacs.base.ApiProblem;
import io.relaypacs.base.Sizes;
import io.relaypacs.forward.ForwardService;
import io.relaypacs.security.Caller;
import io.relaypacs.security.Clinics;
import io.relaypacs.storage.BlobStore;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The server half of resumable uploads: declare a file, send its chunks in any order and as often as needed, then
 * complete. Bookkeeping lives in the database and bytes in the {@link BlobStore}, so a restart loses nothing. No
 * database transaction is held open while bytes stream.
 */
@Service
public class UploadService {
    private final UploadRepository uploads;
    private final UploadChunkRepository chunks;
    private final BlobStore store;
    private final UploadProperties properties;
    private final ForwardService forward;
    private final TransactionTemplate tx;
    private final Clock clock;

    private final Clinics clinics;
    private final AuditLog audit;
    private final MeterRegistry metrics;
    private final UploadPipeline pipeline;
    private final ChunkReceiver receiver;
    private final ChunkRows rows;

    UploadService(UploadRepository uploads, UploadChunkRepository chunks, BlobStore store, UploadProperties properties,
                  ForwardService forward, TransactionTemplate tx, Clock clock, Clinics clinics, AuditLog audit, MeterRegistry metrics, UploadPipeline pipeline,
                  ChunkReceiver receiver, ChunkRows rows) {
        this.rows = rows;
        this.pipeline = pipeline;
        this.receiver = receiver;
        this.metrics = metrics;
        this.clinics = clinics;
        this.audit = audit;
        this.uploads = uploads;
        this.chunks = chunks;
        this.store = store;
        this.properties = properties;
        this.forward = forward;
        this.tx = tx;
        this.clock = clock;
    }

    public UploadStarted init(Caller caller, UploadDeclaration declared) {
        UploadDeclaration d = declared.checked(properties);
        String fileName = d.fileName();
        long openUploads = uploads.countOpenUploads(caller.userId());
        if (openUploads >= properties.maxOpenUploadsPerUser()) {
            throw new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "You have " + openUploads
                    + " unfinished uploads. Let them finish (or cancel some) before starting more.");
        }
        long openBytes = uploads.sumOpenBytes(caller.userId());
        if (openBytes + d.size() > properties.maxOpenBytesPerUser().toBytes()) {
            throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "Your unfinished uploads already hold " + Sizes.readable(openBytes)
                    + "; adding this file would pass your limit of " + Sizes.readable(properties.maxOpenBytesPerUser().toBytes())
                    + ". Let them finish first.");
        }
        if (d.batchId() != null) {
            long batchBytes = uploads.sumBatchBytes(caller.userId(), d.batchId());
            if (batchBytes + d.size() > properties.maxBatchSize().toBytes()) {
                throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "The files sent together already make "
                        + Sizes.readable(batchBytes) + "; with \"" + fileName + "\" they would pass the limit of "
                        + Sizes.readable(properties.maxBatchSize().toBytes()) + " for one sending. Send the rest separately.")
                        .with("max_batch_size", properties.maxBatchSize().toBytes());
            }
        }
        Instant now = clock.instant();
        UploadSession session = new UploadSession(UUID.randomUUID(), caller.userId(), caller.clinicId(), fileName,
                d.size(), d.sha256(), d.contentType(), d.batchId(), d.chunkSize(), now, now.plus(properties.expireAfter()));
        if (d.patient() != null) {
            session.describePatient(d.patient());
        }
        if (Boolean.TRUE.equals(d.deidentify()) || clinics.deidentifies(caller.clinicId())) {
            session.requireDeidentification();
        }
        tx.executeWithoutResult(s -> {
            uploads.save(session);
            audit.recordWith(AuditEventType.UPLOAD_STARTED, caller.username(), caller.clinicId(), session.getId(),
                    Map.of("size", session.getSize(), "chunks", session.getTotalChunks()));
        });
        metrics.counter("relaypacs.uploads.started").increment();
        return new UploadStarted(session.getId(), session.getChunkSize(), session.getTotalChunks(), session.getExpiresAt());
    }

    /**
     * Takes one chunk of the caller's upload ({@link ChunkReceiver}): decoded as it streams in when compressed in
     * transit, never beyond its declared size (413 past it: no decompression bomb); what is stored and checked is the
     * chunk's own bytes. Sending a chunk again is harmless.
     */
    public ChunkOutcome putChunk(Caller caller, UUID uploadId, int index, ChunkBody chunk) throws IOException {
        ChunkTarget upload = rows.target(uploadId)
                .filter(u -> u.ownerId() == caller.userId() || caller.isAdmin())
                .orElseThrow(UploadService::notFound);
        return receiver.receive(upload, index, chunk);
    }

    public UploadStatus status(Caller caller, UUID uploadId) {
        return statusOf(find(caller, uploadId));
    }

    /** At most this many uploads are asked about in one request. */
    static final int MAX_STATUSES = 200;

    /**
     * The statuses of several of the caller's uploads at once (a study's files in one request, not one each); ids
     * that are unknown or someone else's are left out of the answer.
     */
    public List<UploadStatus> statuses(Caller caller, List<UUID> uploadIds) {
        if (uploadIds == null || uploadIds.isEmpty() || uploadIds.size() > MAX_STATUSES) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Ask about 1 to " + MAX_STATUSES + " uploads at a time (upload_ids).");
        }
        return uploads.findAllById(new LinkedHashSet<>(uploadIds)).stream()
                .filter(u -> u.getOwnerId() == caller.userId() || caller.isAdmin())
                .map(this::statusOf).toList();
    }

    /**
     * Marks the upload complete once every chunk is here; assembly, the whole-file check and ingest run in the
     * background ({@link UploadPipeline}). Completing twice is harmless.
     */
    public UploadStatus complete(Caller caller, UUID uploadId) {
        UploadSession session = find(caller, uploadId);
        if (session.getState() == UploadState.RECEIVING) {
            List<Integer> missing = missing(session, chunks.indexesOf(uploadId));
            if (!missing.isEmpty()) {
                throw new ApiProblem(HttpStatus.CONFLICT, missing.size() + " of " + session.getTotalChunks()
                        + " chunks have not arrived yet; send them, then complete again.").with("missing_chunks", missing);
            }
            Boolean completed = tx.execute(s -> uploads.findById(uploadId).map(u -> {
                if (u.getState() != UploadState.RECEIVING) {
                    return false;
                }
                u.complete(clock.instant());
                audit.recordWith(AuditEventType.UPLOAD_COMPLETED, caller.username(), caller.clinicId(), uploadId,
                        Map.of("size", session.getSize(), "chunks", session.getTotalChunks()));
                return true;
            }).orElse(false));
            if (Boolean.TRUE.equals(completed)) {
                pipeline.wake();
            }
        }
        return statusOf(uploads.findById(uploadId).orElseThrow());
    }

    /** Recent uploads the caller may see: their clinic's, or every clinic's for an administrator. */
    public List<UploadStatus> recent(Caller caller, int limit) {
        var page = PageRequest.of(0, limit);
        var sessions = caller.isAdmin() ? uploads.findAllByOrderByCreatedAtDesc(page)
                : uploads.findByClinicIdOrderByCreatedAtDesc(caller.clinicId(), page);
        return sessions.stream().map(this::statusOf).toList();
    }

    /** How many uploads are in each state, across clinics (for the dashboard). */
    public Map<UploadState, Long> countsByState() {
        Map<UploadState, Long> counts = new EnumMap<>(UploadState.class);
        for (Object[] row : uploads.countByState()) {
            counts.put((UploadState) row[0], ((Number) row[1]).longValue());
        }
        return counts;
    }

    UploadStatus statusOf(UploadSession session) {
        List<Integer> have = session.getState() == UploadState.RECEIVING || session.getState() == UploadState.RECEIVED
                ? chunks.indexesOf(session.getId()) : List.of();
        boolean allReceived = session.getState() != UploadState.RECEIVING && session.getState() != UploadState.EXPIRED;
        List<Integer> missing = allReceived ? List.of() : missing(session, have);
        int received = session.getTotalChunks() - missing.size();
        long bytes = allReceived ? session.getSize() : chunks.bytesOf(session.getId());
        return new UploadStatus(session.getId(), session.getFileName(), session.getState(), session.getSize(),
                session.getChunkSize(), session.getTotalChunks(), received, missing, bytes,
                forward.resultsOf(session.getId()), session.getError(), session.getCreatedAt(), session.getExpiresAt());
    }

    private UploadSession find(Caller caller, UUID uploadId) {
        return uploads.findById(uploadId)
                .filter(u -> u.getOwnerId() == caller.userId() || caller.isAdmin())
                .orElseThrow(UploadService::notFound);
    }

    private static ApiProblem notFound() {
        return new ApiProblem(HttpStatus.NOT_FOUND, "This upload does not exist or belongs to someone else. Start the file again.");
    }

    private static List<Integer> missing(UploadSession session, List<Integer> have) {
        Set<Integer> present = new HashSet<>(have);
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < session.getTotalChunks(); i++) {
            if (!present.contains(i)) {
                missing.add(i);
            }
        }
        return missing;
    }
}
