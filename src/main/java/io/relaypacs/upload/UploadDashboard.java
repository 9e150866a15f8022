package io.relaypacs.upload;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import io.relaypacs.forward.ForwardService;
import io.relaypacs.security.Caller;
import io.relaypacs.security.Clinics;
import io.relaypacs.security.UserService;
import io.relaypacs.storage.BlobStore;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** What the operator's dashboard shows of the flow of uploads across clinics, and the actions it offers. */
@Service
public class UploadDashboard {
    private static final List<UploadState> UNFINISHED = List.of(UploadState.RECEIVING, UploadState.RECEIVED,
            UploadState.PROCESSING, UploadState.FORWARDING);
    private final UploadRepository uploads;
    private final UploadService service;
    private final ForwardService forward;
    private final Clinics clinics;
    private final BlobStore store;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final UserService users;
    private final AuditLog audit;

    UploadDashboard(UploadRepository uploads, UploadService service, ForwardService forward, Clinics clinics,
                    BlobStore store, TransactionTemplate tx, Clock clock, UserService users, AuditLog audit) {
        this.users = users;
        this.audit = audit;
        this.uploads = uploads;
        this.service = service;
        this.forward = forward;
        this.clinics = clinics;
        this.store = store;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * @param uploadsPerHour uploads begun in each of the last 24 hours, oldest first
     * @param storageBytes   bytes in the transit store, or -1 when it cannot say
     */
    public record Summary(Map<UploadState, Long> counts, long bytesInFlight, int deliveredLastHour,
                          long deliveredBytesLastHour, Instant oldestWaiting, long[] uploadsPerHour,
                          long pendingInstances, long storageBytes) {
    }

    /** An upload not finished after the alert threshold, and when retention will delete it. */
    public record Stuck(UUID uploadId, String clinic, UploadState state, Instant startedAt, Instant deletedAt) {
    }

    @Transactional(readOnly = true)
    public Summary summary() {
        Instant now = clock.instant();
        Map<UploadState, Long> counts = new EnumMap<>(UploadState.class);
        counts.putAll(service.countsByState());
        List<UploadSession> delivered = uploads.deliveredSince(now.minus(Duration.ofHours(1)));
        long[] perHour = new long[24];
        for (Instant created : uploads.createdSince(now.minus(Duration.ofHours(24)))) {
            long hoursAgo = Duration.between(created, now).toHours();
            if (hoursAgo >= 0 && hoursAgo < 24) {
                perHour[23 - (int) hoursAgo]++;
            }
        }
        long storage;
        try {
            storage = store.usedBytes();
        } catch (IOException | RuntimeException e) {
            storage = -1;
        }
        return new Summary(counts, uploads.sumSizeInStates(UNFINISHED), delivered.size(),
                delivered.stream().mapToLong(UploadSession::getSize).sum(), uploads.oldestInStates(UNFINISHED), perHour,
                forward.pendingCount(), storage);
    }

    /** Unfinished uploads begun more than {@code after} ago, oldest first. */
    @Transactional(readOnly = true)
    public List<Stuck> stuck(Duration after, Duration maxAge) {
        Map<Long, String> names = clinicNames();
        return uploads.findByStateInAndCreatedAtBeforeOrderByCreatedAtAsc(UNFINISHED, clock.instant().minus(after)).stream()
                .map(u -> new Stuck(u.getId(), names.getOrDefault(u.getClinicId(), "?"), u.getState(), u.getCreatedAt(),
                        u.getCreatedAt().plus(maxAge))).toList();
    }

    /**
     * Uploads across clinics, newest first, filtered by clinic, user name and state (null: any), begun from a time
     * on. An unknown user name matches nothing.
     */
    @Transactional(readOnly = true)
    public List<UploadStatus> uploads(Long clinicId, String username, UploadState state, Instant from, int limit) {
        Long owner = null;
        if (username != null && !username.isBlank()) {
            owner = users.findCaller(username.strip()).map(Caller::userId).orElse(-1L);
        }
        return uploads.search(clinicId, owner, state, from == null ? Instant.EPOCH : from, PageRequest.of(0, limit)).stream()
                .map(service::statusOf).toList();
    }

    /**
     * Stops an upload that is still on its way: it fails with a plain reason and its waiting instances are not sent.
     * Its copies stay until the retention limit, so it can still be sent again. Returns false when it had finished.
     */
    public boolean cancel(String actor, UUID uploadId) {
        Boolean cancelled = tx.execute(s -> uploads.findById(uploadId).map(u -> {
            if (!UNFINISHED.contains(u.getState())) {
                return false;
            }
            u.fail("Cancelled by an administrator. Send it again if it is still needed.", clock.instant());
            forward.cancel(uploadId);
            return true;
        }).orElse(false));
        if (Boolean.TRUE.equals(cancelled)) {
            uploads.findById(uploadId).ifPresent(u -> audit.record(AuditEventType.UPLOAD_CANCELLED, actor, u.getClinicId(),
                    uploadId, Map.of()));
        }
        return Boolean.TRUE.equals(cancelled);
    }

    public Map<Long, String> clinicNames() {
        return clinics.names();
    }

    /**
     * Sends a failed upload's failed instances again (to {@code destinationId}, or the clinic's route when null);
     * the upload goes back to delivering. Returns how many instances were queued.
     */
    public int sendAgain(UUID uploadId, Long destinationId) {
        int queued = forward.sendAgain(uploadId, destinationId);
        if (queued > 0) {
            tx.executeWithoutResult(s -> uploads.findById(uploadId).ifPresent(u -> {
                if (u.getState() == UploadState.FAILED) {
                    u.sendAgain(clock.instant());
                }
            }));
        }
        return queued;
    }

}
