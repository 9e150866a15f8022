package io.relaypacs.upload;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The two statements every chunk costs, in plain SQL: is this chunk already here (and with which digest), and
 * record it while the upload's clock is moved on. On the hot path of every upload, where an ORM's session, dirty
 * checking and query translation cost more than the statements themselves (a profile of the upload benchmark put
 * Hibernate and H2 at about a third of a request's CPU).
 */
@Component
class ChunkRows {
    private final JdbcTemplate jdbc;

    ChunkRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The digest of the chunk already received at this index, if any. */
    Optional<String> digestOf(UUID uploadId, int index) {
        return jdbc.query("SELECT sha256 FROM upload_chunk WHERE upload_id = ? AND chunk_index = ?",
                (rs, row) -> rs.getString(1), uploadId, index).stream().findFirst();
    }

    /**
     * Records a stored chunk and moves the upload's expiry on; the caller's transaction holds both. A second record
     * of one index fails on the table's unique key.
     */
    void record(UUID uploadId, int index, int length, String sha256, String storageKey, Instant now, Instant expiresAt) {
        jdbc.update("INSERT INTO upload_chunk (upload_id, chunk_index, length_bytes, sha256, storage_key, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", uploadId, index, length, sha256, storageKey, Timestamp.from(now));
        jdbc.update("UPDATE upload SET updated_at = ?, expires_at = ? WHERE id = ?", Timestamp.from(now),
                Timestamp.from(expiresAt), uploadId);
    }
}
