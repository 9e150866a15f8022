package io.relaypacs.upload;

import io.relaypacs.forward.ForwardService;
import io.relaypacs.storage.BlobStore;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the retention purge may delete of uploads, and the deleting itself (transit copies and identifying columns). */
@Service
public class UploadRetention {
    private static final List<UploadState> FINISHED = List.of(UploadState.DONE, UploadState.FAILED, UploadState.EXPIRED);
    /** Purged as soon as retention allows; a FAILED upload keeps its copies (for a retry) until the maximum age. */
    private static final List<UploadState> DONE_WITH = List.of(UploadState.DONE, UploadState.EXPIRED);
    private final UploadRepository uploads;
    private final UploadChunkRepository chunks;
    private final ForwardService forward;
    private final BlobStore store;
    private final TransactionTemplate tx;

    private final PairingRepository pairings;

    UploadRetention(UploadRepository uploads, UploadChunkRepository chunks, ForwardService forward, BlobStore store,
                    TransactionTemplate tx, PairingRepository pairings) {
        this.pairings = pairings;
        this.uploads = uploads;
        this.chunks = chunks;
        this.forward = forward;
        this.store = store;
        this.tx = tx;
    }

    /**
     * Uploads delivered (or expired) before {@code finishedBefore}, or created before {@code createdBefore} whatever
     * their state: a failed upload keeps its copies until then, so an administrator can send it again.
     */
    public List<UUID> dueForPurge(Instant finishedBefore, Instant createdBefore, int limit) {
        return uploads.findDueForPurge(DONE_WITH, finishedBefore, createdBefore, PageRequest.of(0, limit));
    }

    /** Deletes phone pairings past their validity, used or not, with the patient details typed for them. */
    public int deleteExpiredPairings(Instant now) {
        Integer deleted = tx.execute(s -> pairings.deleteExpired(now));
        return deleted == null ? 0 : deleted;
    }

    /** What one purge removed. */
    public record Purged(UUID uploadId, long clinicId, UploadState state, boolean wasUnfinished, long bytes) {
    }

    /**
     * Deletes the upload's transit copies (chunks, assembled file, instances) and forgets its identifying columns
     * and those of its instances; an upload or instance still on its way is failed with a plain reason first.
     *
     * @throws IOException when the store could not delete the copies; the upload is then left to the next run
     */
    public Purged purge(UUID id, Instant now) throws IOException {
        UploadSession before = uploads.findById(id).orElseThrow();
        boolean unfinished = !FINISHED.contains(before.getState());
        // bytes first: the row is only marked purged once the store has really let go of them
        store.deleteAll(UploadKeys.of(id));
        return tx.execute(s -> {
            UploadSession u = uploads.findById(id).orElseThrow();
            chunks.deleteByUploadId(id);
            u.purge(now);
            forward.purge(id, now);
            return new Purged(id, u.getClinicId(), u.getState(), unfinished, u.getSize());
        });
    }
}
