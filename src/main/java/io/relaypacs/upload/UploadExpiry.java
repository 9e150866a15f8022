package io.relaypacs.upload;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import io.relaypacs.base.JobLease;
import io.relaypacs.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Unfinished uploads expire {@code relaypacs.upload.expire-after} (24 h) after their last chunk: their chunks are
 * deleted and the upload says EXPIRED, so no transit copy outlives its deadline.
 */
@Component
class UploadExpiry {
    private static final Logger log = LoggerFactory.getLogger(UploadExpiry.class);
    static final String JOB = "upload-expiry";
    private final UploadRepository uploads;
    private final UploadChunkRepository chunks;
    private final BlobStore store;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final JobLease lease;
    private final AuditLog audit;

    UploadExpiry(UploadRepository uploads, UploadChunkRepository chunks, BlobStore store, TransactionTemplate tx, Clock clock,
                 JobLease lease, AuditLog audit) {
        this.lease = lease;
        this.audit = audit;
        this.uploads = uploads;
        this.chunks = chunks;
        this.store = store;
        this.tx = tx;
        this.clock = clock;
    }

    /** Runs on one instance at a time (a lease); each expiry is also checked row by row, so a race changes nothing. */
    @Scheduled(fixedDelayString = "${relaypacs.upload.expiry-check-interval:1m}")
    void expireOverdue() {
        Instant now = clock.instant();
        if (!lease.take(JOB, now, Duration.ofMinutes(1))) {
            return;
        }
        try {
            expireAsOf(now);
        } finally {
            lease.release(JOB);
        }
    }

    /** Expires every unfinished upload whose deadline is before {@code now}; returns how many. */
    int expireAsOf(Instant now) {
        int expired = 0;
        for (UploadSession overdue : uploads.findByStateInAndExpiresAtBefore(List.of(UploadState.RECEIVING), now)) {
            Boolean changed = tx.execute(s -> uploads.findById(overdue.getId())
                    .filter(u -> u.getState() == UploadState.RECEIVING && u.getExpiresAt().isBefore(now))
                    .map(u -> {
                        u.expire("This upload was not finished within the time allowed, so its data was deleted. Send the file again.", now);
                        chunks.deleteByUploadId(u.getId());
                        audit.recordWith(AuditEventType.UPLOAD_EXPIRED, null, u.getClinicId(), u.getId(),
                                Map.of("size", u.getSize(), "chunks", u.getTotalChunks()));
                        return true;
                    }).orElse(false));
            if (Boolean.TRUE.equals(changed)) {
                expired++;
                try {
                    store.deleteAll(UploadKeys.of(overdue.getId()));
                } catch (IOException e) {
                    log.warn("Could not delete the data of expired upload {}; the retention purge will retry: {}",
                            overdue.getId(), e.toString());
                }
            }
        }
        if (expired > 0) {
            log.info("Expired {} unfinished upload(s)", expired);
        }
        return expired;
    }
}
