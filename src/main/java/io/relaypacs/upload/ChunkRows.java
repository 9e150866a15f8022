package io.relaypacs.upload;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The statements every chunk costs, in plain SQL: which upload it belongs to, is this chunk already here (and with
 * which digest), and record it while the upload's clock is moved on. On the hot path of every upload, where an ORM's
 * session, entity loading and dirty checking cost more than the statements themselves (profiles of the upload
 * benchmark put Hibernate and H2 at about a third of a request's CPU). The recording transaction is a plain JDBC one
 * for the same reason: nothing on this path is an entity.
 */
@Component
class ChunkRows {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    ChunkRows(JdbcTemplate jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(new JdbcTransactionManager(dataSource));
    }

    /** The upload a chunk is for, if it exists. */
    Optional<ChunkTarget> target(UUID uploadId) {
        return jdbc.query("SELECT owner_id, state, size_bytes, chunk_size, total_chunks, completed_at FROM upload "
                + "WHERE id = ?", (rs, row) -> new ChunkTarget(uploadId, rs.getLong(1), UploadState.valueOf(rs.getString(2)),
                rs.getLong(3), rs.getInt(4), rs.getInt(5), rs.getTimestamp(6) != null), uploadId).stream().findFirst();
    }

    /** The digest of the chunk already received at this index, if any. */
    Optional<String> digestOf(UUID uploadId, int index) {
        return jdbc.query("SELECT sha256 FROM upload_chunk WHERE upload_id = ? AND chunk_index = ?",
                (rs, row) -> rs.getString(1), uploadId, index).stream().findFirst();
    }

    /**
     * Records a stored chunk and moves the upload's expiry on, in one transaction. A second record of one index fails
     * on the table's unique key ({@link org.springframework.dao.DuplicateKeyException}).
     */
    void record(UUID uploadId, int index, int length, String sha256, String storageKey, Instant now, Instant expiresAt) {
        tx.executeWithoutResult(status -> insertAndTouch(uploadId, index, length, sha256, storageKey, now, expiresAt));
    }

    private void insertAndTouch(UUID uploadId, int index, int length, String sha256, String storageKey, Instant now,
                                Instant expiresAt) {
        jdbc.update("INSERT INTO upload_chunk (upload_id, chunk_index, length_bytes, sha256, storage_key, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", uploadId, index, length, sha256, storageKey, Timestamp.from(now));
        jdbc.update("UPDATE upload SET updated_at = ?, expires_at = ? WHERE id = ?", Timestamp.from(now),
                Timestamp.from(expiresAt), uploadId);
    }
}
