package io.relaypacs.upload;

import io.relaypacs.security.AppUser;
import io.relaypacs.security.Clinic;
import io.relaypacs.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jpa.test.autoconfigure.TestEntityManager;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Upload bookkeeping queries, run on both H2 and PostgreSQL by the two subclasses. */
@org.springframework.transaction.annotation.Transactional
abstract class UploadRepositoryContract {
    @Autowired
    UploadRepository uploads;
    @Autowired
    UploadChunkRepository chunks;
    @Autowired
    TestEntityManager em;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;

    AppUser owner;
    final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void owner() {
        Clinic clinic = em.persist(new Clinic("Clinic " + UUID.randomUUID()));
        owner = em.persist(new AppUser("u-" + UUID.randomUUID(), "x", Role.UPLOADER, clinic));
    }

    UploadSession upload(long size, int chunkSize) {
        return uploads.saveAndFlush(new UploadSession(UUID.randomUUID(), owner.getId(), owner.getClinic().getId(), "f.dcm",
                size, null, null, null, chunkSize, now, now.plusSeconds(3600)));
    }

    @Test
    void aChunkIndexCanBeRecordedOnlyOncePerUpload() {
        UploadSession u = upload(3000, 1000);
        chunks.saveAndFlush(new UploadChunk(u.getId(), 1, 1000, "a", "k1", now));
        assertThatThrownBy(() -> chunks.saveAndFlush(new UploadChunk(u.getId(), 1, 1000, "b", "k2", now)))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void receivedIndexesAreSortedAndBytesAreSummed() {
        UploadSession u = upload(2500, 1000);
        chunks.saveAndFlush(new UploadChunk(u.getId(), 2, 500, "c", "k3", now));
        chunks.saveAndFlush(new UploadChunk(u.getId(), 0, 1000, "a", "k1", now));
        assertThat(chunks.indexesOf(u.getId())).containsExactly(0, 2);
        assertThat(chunks.bytesOf(u.getId())).isEqualTo(1500);
        assertThat(chunks.deleteByUploadId(u.getId())).isEqualTo(2);
        assertThat(chunks.indexesOf(u.getId())).isEmpty();
    }

    @Test
    void chunkRowsFindTheUploadRecordAChunkOnceAndMoveTheExpiryWithoutConflictingOnTheRowVersion() {
        UploadSession u = upload(2500, 1000);
        ChunkRows rows = new ChunkRows(jdbc, dataSource);
        assertThat(rows.target(u.getId())).contains(new ChunkTarget(u.getId(), owner.getId(), UploadState.RECEIVING,
                2500, 1000, 3, false));
        assertThat(rows.target(u.getId()).orElseThrow().expectedLength(2)).isEqualTo(500);
        assertThat(rows.target(UUID.randomUUID())).isEmpty();

        Instant later = now.plusSeconds(7200);
        rows.record(u.getId(), 2, 500, "c", "k3", now.plusSeconds(60), later);
        assertThat(rows.digestOf(u.getId(), 2)).contains("c");
        assertThat(rows.digestOf(u.getId(), 1)).isEmpty();
        em.clear();
        UploadSession reloaded = uploads.findById(u.getId()).orElseThrow();
        assertThat(reloaded.getExpiresAt()).isEqualTo(later);
        reloaded.complete(now);
        uploads.saveAndFlush(reloaded); // no optimistic-lock failure after the plain update
        assertThat(rows.target(u.getId()).orElseThrow().completed()).isTrue();

        // last: on PostgreSQL a refused statement ends the test's transaction
        assertThatThrownBy(() -> rows.record(u.getId(), 2, 500, "d", "k4", now, later))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void quotasCountOnlyUnfinishedUploadsOfTheOwner() {
        upload(100, 1000);
        upload(200, 1000);
        UploadSession done = upload(5000, 1000);
        done.complete(now); // no longer receiving: not counted
        uploads.saveAndFlush(done);
        assertThat(uploads.countOpenUploads(owner.getId())).isEqualTo(2);
        assertThat(uploads.sumOpenBytes(owner.getId())).isEqualTo(300);
        assertThat(uploads.sumOpenBytes(-1)).isZero();
    }

    @Test
    void statesAreCountedAndExpiredCandidatesFound() {
        UploadSession old = upload(10, 1000);
        upload(10, 1000).fail("Test failure", now);
        em.flush();
        Map<Object, Long> counts = uploads.countByState().stream()
                .collect(Collectors.toMap(r -> r[0], r -> ((Number) r[1]).longValue()));
        assertThat(counts.get(UploadState.RECEIVING)).isGreaterThanOrEqualTo(1);
        assertThat(counts.get(UploadState.FAILED)).isGreaterThanOrEqualTo(1);
        assertThat(uploads.findByStateInAndExpiresAtBefore(List.of(UploadState.RECEIVING), now.plusSeconds(7200)))
                .extracting(UploadSession::getId).contains(old.getId());
    }
}
