package io.relaypacs.upload;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Claims the next completed upload for a pipeline worker: {@code SELECT ... FOR UPDATE SKIP LOCKED}, then the
 * upload's own move to PROCESSING in the same short transaction. Workers of this and other app instances never wait
 * for each other and never claim one upload twice. The same SQL runs on PostgreSQL and H2.
 */
@Component
class ProcessingClaims {
    private final JdbcTemplate jdbc;
    private final UploadRepository uploads;
    private final TransactionTemplate tx;
    private final Clock clock;

    ProcessingClaims(JdbcTemplate jdbc, UploadRepository uploads, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.uploads = uploads;
        this.tx = tx;
        this.clock = clock;
    }

    /** The id of the oldest due RECEIVED upload, now PROCESSING and the caller's; null when none is due. */
    UUID claimNext() {
        return tx.execute(s -> {
            Instant now = clock.instant();
            List<UUID> due = jdbc.queryForList("SELECT id FROM upload WHERE state = 'RECEIVED' AND (process_after IS NULL "
                    + "OR process_after <= ?) ORDER BY updated_at, id FETCH FIRST 1 ROWS ONLY FOR UPDATE SKIP LOCKED",
                    UUID.class, Timestamp.from(now));
            if (due.isEmpty()) {
                return null;
            }
            UploadSession upload = uploads.findById(due.getFirst()).orElseThrow();
            upload.startProcessing(now);
            return upload.getId();
        });
    }

    /** When the next upload waiting to retry becomes due, or null when none waits. */
    Instant nextRetry() {
        List<Timestamp> next = jdbc.queryForList("SELECT MIN(process_after) FROM upload WHERE state = 'RECEIVED' "
                + "AND process_after IS NOT NULL", Timestamp.class);
        return next.isEmpty() || next.getFirst() == null ? null : next.getFirst().toInstant();
    }
}
