package io.relaypacs.forward;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Claims due outbox rows for one worker: {@code SELECT ... FOR UPDATE SKIP LOCKED} and the switch to SENDING in one
 * short transaction. Rows another worker (of this or another app instance) is claiming are skipped, never waited
 * for and never claimed twice. The same SQL runs on PostgreSQL and H2.
 */
@Component
class OutboxClaims {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    OutboxClaims(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** When the earliest row waiting for its next attempt is due; null when none waits. */
    Instant nextDue() {
        List<Timestamp> next = jdbc.queryForList("SELECT MIN(next_attempt_at) FROM instance WHERE state IN ('QUEUED', "
                + "'RETRY_WAIT')", Timestamp.class);
        return next.isEmpty() || next.getFirst() == null ? null : next.getFirst().toInstant();
    }

    /** The ids of up to {@code limit} rows due at {@code now}, now SENDING and this caller's to deliver. */
    List<Long> claim(int limit, Instant now) {
        return claim(limit, now, now);
    }

    /**
     * Once a row is due at {@code now}, claims it with the rows due by {@code dueSoon} (up to {@code limit}): instances
     * queued while the first one lingered leave with it, in one batch. Nothing is claimed while no row is due.
     */
    List<Long> claim(int limit, Instant now, Instant dueSoon) {
        List<Long> ids = tx.execute(s -> {
            List<Long> anyDue = dueSoon.equals(now) ? List.of(0L) : jdbc.queryForList("SELECT id FROM instance WHERE "
                    + "state IN ('QUEUED', 'RETRY_WAIT') AND next_attempt_at <= ? FETCH FIRST 1 ROWS ONLY", Long.class,
                    Timestamp.from(now));
            if (anyDue.isEmpty()) {
                return List.<Long>of();
            }
            List<Long> due = jdbc.queryForList("SELECT id FROM instance WHERE state IN ('QUEUED', 'RETRY_WAIT') "
                    + "AND next_attempt_at <= ? ORDER BY next_attempt_at, id FETCH FIRST " + limit
                    + " ROWS ONLY FOR UPDATE SKIP LOCKED", Long.class, Timestamp.from(dueSoon));
            for (Long id : due) {
                jdbc.update("UPDATE instance SET state = 'SENDING', message = ?, updated_at = ?, version = version + 1 "
                        + "WHERE id = ?", "Sending to the PACS.", Timestamp.from(now), id);
            }
            return due;
        });
        return ids == null ? List.of() : ids;
    }
}
