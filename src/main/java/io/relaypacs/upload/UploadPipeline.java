package io.relaypacs.upload;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import io.relaypacs.forward.ForwardService;
import io.relaypacs.forward.OutboundInstance;
import io.relaypacs.dicom.UidGenerator;
import io.relaypacs.ingest.IngestResult;
import io.relaypacs.ingest.IngestService;
import io.relaypacs.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.PageRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Moves completed uploads along: RECEIVED -> PROCESSING (assemble the chunks, check the whole-file digest, ingest)
 * -> FORWARDING -> DONE or FAILED once every instance is settled. Driven by the database state, so a restart picks
 * up where it stopped; an upload left PROCESSING by a crash is processed again after {@link #STALE_PROCESSING}.
 */
@Component
class UploadPipeline {
    private static final Logger log = LoggerFactory.getLogger(UploadPipeline.class);
    static final Duration STALE_PROCESSING = Duration.ofMinutes(15);

    private final UploadRepository uploads;
    private final UploadChunkRepository chunks;
    private final BlobStore store;
    private final IngestService ingest;
    private final ForwardService forward;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();

    private final UidGenerator uids;
    private final AuditLog audit;
    private final Duration firstRetry;
    private final int maxProcessingAttempts;

    UploadPipeline(UploadRepository uploads, UploadChunkRepository chunks, BlobStore store, IngestService ingest,
                   ForwardService forward, TransactionTemplate tx, Clock clock, UidGenerator uids,
                   @Value("${relaypacs.pipeline.first-retry:5s}") Duration firstRetry,
                   @Value("${relaypacs.pipeline.max-attempts:8}") int maxProcessingAttempts, AuditLog audit) {
        this.audit = audit;
        this.uids = uids;
        this.firstRetry = firstRetry;
        this.maxProcessingAttempts = maxProcessingAttempts;
        this.uploads = uploads;
        this.chunks = chunks;
        this.store = store;
        this.ingest = ingest;
        this.forward = forward;
        this.tx = tx;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${relaypacs.pipeline.poll-interval:500ms}")
    void advance() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            releaseStale();
            for (UploadSession candidate : uploads.findByStateOrderByUpdatedAtAsc(UploadState.RECEIVED, PageRequest.of(0, 5))) {
                if (waitingToRetry(candidate)) {
                    continue;
                }
                if (claim(candidate.getId())) {
                    process(candidate.getId());
                }
            }
            for (UploadSession forwarding : uploads.findByStateOrderByUpdatedAtAsc(UploadState.FORWARDING, PageRequest.of(0, 100))) {
                settle(forwarding.getId());
            }
        } catch (RuntimeException e) {
            log.error("Upload pipeline round failed; it will run again", e);
        } finally {
            running.set(false);
        }
    }

    private boolean claim(UUID id) {
        try {
            return Boolean.TRUE.equals(tx.execute(s -> {
                UploadSession u = uploads.findById(id).orElse(null);
                if (u == null || u.getState() != UploadState.RECEIVED) {
                    return false;
                }
                u.moveTo(UploadState.PROCESSING, clock.instant());
                uploads.saveAndFlush(u);
                return true;
            }));
        } catch (OptimisticLockingFailureException taken) {
            return false;
        }
    }

    /** After failed attempts, an upload waits first-retry x 2^(attempts-1), at most ten minutes, before the next. */
    private boolean waitingToRetry(UploadSession u) {
        int attempts = u.getProcessingAttempts();
        if (attempts == 0) {
            return false;
        }
        Duration wait = firstRetry.multipliedBy(1L << Math.min(20, attempts - 1));
        wait = wait.compareTo(Duration.ofMinutes(10)) > 0 ? Duration.ofMinutes(10) : wait;
        return u.getUpdatedAt().plus(wait).isAfter(clock.instant());
    }

    private void deleteQuietly(UUID id) {
        try {
            store.deleteAll(UploadService.uploadPrefix(id));
        } catch (IOException e) {
            log.warn("Could not delete the data of failed upload {}: {}", id, e.toString());
        }
    }

    private void process(UUID id) {
        UploadSession u = uploads.findById(id).orElseThrow();
        try {
            String fileKey = UploadService.uploadPrefix(id) + "file";
            String problem = assemble(u, fileKey);
            if (problem != null) {
                finish(id, UploadState.FAILED, problem);
                store.deleteAll(UploadService.uploadPrefix(id));
                return;
            }
            IngestResult result = ingest.ingest(fileKey, u.getFileName(), u.getSize(), u.photoDetails(uids), u.isDeidentify());
            forward.enqueue(id, u.getClinicId(), result.instances().stream().map(i -> new OutboundInstance(i.sourceName(), i.storageKey(),
                            i.size(), i.header().sopInstanceUid(), i.header().sopClassUid(), i.header().studyInstanceUid(),
                            i.header().seriesInstanceUid(), i.header().transferSyntaxUid(), i.note())).toList(),
                    result.skipped().stream().map(s -> new ForwardService.Skip(s.sourceName(), s.reason())).toList());
            finish(id, UploadState.FORWARDING, null);
        } catch (IOException | UncheckedIOException e) {
            // Storage trouble is usually transient: retry with backoff, and report it once it clearly is not.
            String reason = e.getMessage();
            boolean givenUp = Boolean.TRUE.equals(tx.execute(s -> uploads.findById(id).map(x -> {
                if (x.processingFailed(clock.instant()) < maxProcessingAttempts) {
                    return false;
                }
                x.fail("The server could not read this file back from its storage (" + reason
                        + "). Please send it again.", clock.instant());
                return true;
            }).orElse(false)));
            log.warn("Processing upload {} failed ({}): {}", id, givenUp ? "given up" : "will retry", e.toString());
            if (givenUp) {
                deleteQuietly(id);
            }
        }
    }

    /**
     * Streams the chunks in order into one stored file while computing its SHA-256; returns a plain-language
     * problem, or null when the file is whole. The chunks are deleted once the file is safely stored.
     */
    private String assemble(UploadSession u, String fileKey) throws IOException {
        List<UploadChunk> parts = chunks.findByUploadIdOrderByIndexAsc(u.getId());
        if (parts.isEmpty() && store.exists(fileKey)) {
            return null; // assembled before a crash; chunks already removed
        }
        MessageDigest sha = UploadService.sha256();
        long written;
        try (InputStream joined = new DigestInputStream(new SequenceInputStream(lazily(parts)), sha)) {
            written = store.put(fileKey, joined);
        }
        if (written != u.getSize()) {
            return "The file arrived with " + written + " bytes instead of " + u.getSize() + ". Send it again.";
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (u.getSha256() != null && !u.getSha256().equalsIgnoreCase(actual)) {
            return "The file that arrived is not the file that was picked (its checksum differs). Send it again.";
        }
        tx.executeWithoutResult(s -> chunks.deleteByUploadId(u.getId()));
        store.deleteAll(UploadService.uploadPrefix(u.getId()) + "chunks/");
        return null;
    }

    private java.util.Enumeration<InputStream> lazily(List<UploadChunk> parts) {
        Iterator<UploadChunk> it = parts.iterator();
        return new java.util.Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return it.hasNext();
            }

            @Override
            public InputStream nextElement() {
                try {
                    return store.open(it.next().getStorageKey());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private void settle(UUID id) {
        ForwardService.Progress p = forward.progressOf(id);
        if (!p.settled()) {
            return;
        }
        if (p.failed() > 0) {
            finish(id, UploadState.FAILED, p.failed() + " of " + (p.stored() + p.failed())
                    + " images could not be delivered to the PACS; see each image for the reason.");
        } else if (p.stored() == 0) {
            finish(id, UploadState.FAILED, p.skipped() == 1
                    ? "This file is not a medical image the PACS can take, so nothing was sent."
                    : "None of the " + p.skipped() + " files is a medical image the PACS can take, so nothing was sent.");
        } else {
            finish(id, UploadState.DONE, null);
        }
    }

    private void finish(UUID id, UploadState state, String error) {
        UploadSession finished = tx.execute(s -> uploads.findById(id).map(u -> {
            if (state == UploadState.FAILED) {
                u.fail(error, clock.instant());
            } else {
                u.moveTo(state, clock.instant());
            }
            return u;
        }).orElse(null));
        if (finished != null && (state == UploadState.DONE || state == UploadState.FAILED)) {
            ForwardService.Progress p = forward.progressOf(id);
            audit.record(state == UploadState.DONE ? AuditEventType.UPLOAD_DELIVERED : AuditEventType.UPLOAD_FAILED, null,
                    finished.getClinicId(), id, Map.of("stored", p.stored(), "failed", p.failed(), "skipped", p.skipped()));
        }
    }

    private void releaseStale() {
        for (UploadSession stale : uploads.findByStateAndUpdatedAtBefore(UploadState.PROCESSING,
                clock.instant().minus(STALE_PROCESSING))) {
            tx.executeWithoutResult(s -> uploads.findById(stale.getId()).ifPresent(u -> {
                if (u.getState() == UploadState.PROCESSING) {
                    u.moveTo(UploadState.RECEIVED, clock.instant());
                }
            }));
        }
    }
}
