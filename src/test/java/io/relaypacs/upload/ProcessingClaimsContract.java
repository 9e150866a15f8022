package io.relaypacs.upload;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claiming completed uploads for processing, on both H2 and PostgreSQL: an upload another worker holds is skipped
 * without waiting, none is claimed twice, one waiting to retry is not claimed before its time.
 */
@Transactional(propagation = Propagation.NOT_SUPPORTED)
abstract class ProcessingClaimsContract {
    @Autowired
    DataSource dataSource;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    UploadRepository uploads;

    final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    long clinic;
    long owner;

    JdbcTemplate jdbc() {
        return new JdbcTemplate(dataSource);
    }

    @BeforeEach
    void owner() {
        String suffix = UUID.randomUUID().toString();
        jdbc().update("INSERT INTO clinic (name, created_at) VALUES (?, ?)", "Claims " + suffix, Timestamp.from(now));
        clinic = jdbc().queryForObject("SELECT id FROM clinic WHERE name = ?", Long.class, "Claims " + suffix);
        jdbc().update("INSERT INTO app_user (username, password_hash, role, clinic_id, enabled, created_at) "
                + "VALUES (?, 'x', 'UPLOADER', ?, TRUE, ?)", "claims-" + suffix, clinic, Timestamp.from(now));
        owner = jdbc().queryForObject("SELECT id FROM app_user WHERE username = ?", Long.class, "claims-" + suffix);
    }

    @AfterEach
    void cleanUp() {
        jdbc().update("DELETE FROM upload WHERE owner_id = ?", owner);
        jdbc().update("DELETE FROM app_user WHERE id = ?", owner);
        jdbc().update("DELETE FROM clinic WHERE id = ?", clinic);
    }

    UUID upload(String state, Instant updated, Instant processAfter) {
        UUID id = UUID.randomUUID();
        jdbc().update("INSERT INTO upload (id, owner_id, clinic_id, size_bytes, chunk_size, total_chunks, state, created_at, "
                        + "updated_at, expires_at, version, deidentify, processing_attempts, process_after) "
                        + "VALUES (?, ?, ?, 10, 10, 1, ?, ?, ?, ?, 0, FALSE, 0, ?)", id, owner, clinic, state,
                Timestamp.from(updated), Timestamp.from(updated), Timestamp.from(now.plusSeconds(3600)),
                processAfter == null ? null : Timestamp.from(processAfter));
        return id;
    }

    String state(UUID id) {
        return jdbc().queryForObject("SELECT state FROM upload WHERE id = ?", String.class, id);
    }

    @Test
    void uploadsHeldByAnotherWorkerAreSkippedAndNoneIsClaimedTwiceOrBeforeItsRetry() throws Exception {
        ProcessingClaims claims = new ProcessingClaims(jdbc(), uploads, new TransactionTemplate(transactions), Clock.systemUTC());
        UUID oldest = upload("RECEIVED", now.minusSeconds(30), null);
        UUID next = upload("RECEIVED", now.minusSeconds(20), now.minusSeconds(1));
        UUID receiving = upload("RECEIVING", now.minusSeconds(40), null);
        Instant later = now.plusSeconds(600);
        UUID waiting = upload("RECEIVED", now.minusSeconds(50), later);

        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            other.createStatement().executeQuery("SELECT id FROM upload WHERE id = '" + oldest + "' FOR UPDATE").close();
            UUID mine = CompletableFuture.supplyAsync(claims::claimNext).get(10, TimeUnit.SECONDS);
            assertThat(mine).isEqualTo(next);
            other.commit();
        }
        assertThat(claims.claimNext()).isEqualTo(oldest);
        assertThat(claims.claimNext()).isNull();
        assertThat(state(oldest)).isEqualTo("PROCESSING");
        assertThat(state(next)).isEqualTo("PROCESSING");
        assertThat(state(receiving)).isEqualTo("RECEIVING");
        assertThat(state(waiting)).isEqualTo("RECEIVED");
        assertThat(jdbc().queryForObject("SELECT version FROM upload WHERE id = ?", Long.class, oldest)).isEqualTo(1);
        assertThat(claims.nextRetry()).isEqualTo(later);
    }
}
