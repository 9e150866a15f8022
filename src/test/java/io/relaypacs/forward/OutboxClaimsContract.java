package io.relaypacs.forward;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claiming outbox rows, run on both H2 and PostgreSQL: rows another worker holds locked are skipped without
 * waiting, and a row is never claimed twice.
 */
@Transactional(propagation = Propagation.NOT_SUPPORTED)
abstract class OutboxClaimsContract {
    @Autowired
    DataSource dataSource;
    @Autowired
    PlatformTransactionManager transactions;

    final UUID upload = UUID.randomUUID();
    final Instant now = Instant.now();

    JdbcTemplate jdbc() {
        return new JdbcTemplate(dataSource);
    }

    long row(Instant due) {
        jdbc().update("INSERT INTO instance (upload_id, size_bytes, state, attempts, next_attempt_at, created_at, "
                        + "updated_at, version) VALUES (?, 1, 'QUEUED', 0, ?, ?, ?, 0)", upload, Timestamp.from(due),
                Timestamp.from(now), Timestamp.from(now));
        return jdbc().queryForObject("SELECT MAX(id) FROM instance WHERE upload_id = ?", Long.class, upload);
    }

    @AfterEach
    void cleanUp() {
        jdbc().update("DELETE FROM instance WHERE upload_id = ?", upload);
    }

    @Test
    void rowsLockedByAnotherWorkerAreSkippedAndNothingIsClaimedTwice() throws Exception {
        OutboxClaims claims = new OutboxClaims(jdbc(), new TransactionTemplate(transactions));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(row(now.minusSeconds(60 - i)));
        }
        long notDue = row(now.plusSeconds(3600));

        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            // another worker in the middle of claiming the three oldest rows
            other.createStatement().executeQuery("SELECT id FROM instance WHERE id IN (" + ids.get(0) + ", "
                    + ids.get(1) + ", " + ids.get(2) + ") FOR UPDATE").close();
            List<Long> mine = CompletableFuture.supplyAsync(() -> claims.claim(10, now)).get(10, TimeUnit.SECONDS);
            assertThat(mine).containsExactly(ids.get(3), ids.get(4), ids.get(5));
            other.commit();
        }
        assertThat(claims.claim(2, now)).containsExactly(ids.get(0), ids.get(1));
        assertThat(claims.claim(10, now)).containsExactly(ids.get(2));
        assertThat(claims.claim(10, now)).isEmpty();
        assertThat(jdbc().queryForList("SELECT state FROM instance WHERE upload_id = ? ORDER BY id", String.class, upload))
                .containsExactly("SENDING", "SENDING", "SENDING", "SENDING", "SENDING", "SENDING", "QUEUED");
        assertThat(jdbc().queryForObject("SELECT state FROM instance WHERE id = ?", String.class, notDue)).isEqualTo("QUEUED");
    }
}
