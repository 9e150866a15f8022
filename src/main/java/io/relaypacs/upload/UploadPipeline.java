package io.relaypacs.upload;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import io.relaypacs.forward.ForwardService;
import io.relaypacs.forward.InstancesSettled;
import io.relaypacs.storage.BlobStore;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.PageRequest;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Moves completed uploads along as soon as they are ready: a completed upload wakes a worker at once (workers claim
 * uploads with SKIP LOCKED, at most {@code relaypacs.pipeline.workers} at a time, so one big ZIP never holds up a
 * stream of small files); forwarding's outcome settles the upload at once ({@link InstancesSettled}). Every upload
 * ends: a file that is wrong fails with its reason; storage or database trouble is retried with backoff and counted,
 * and so is a claim a crashed instance left behind. A slow safety-net round picks up whatever a crash or another
 * instance left.
 */
@Component
class UploadPipeline {
    private static final Logger log = LoggerFactory.getLogger(UploadPipeline.class);
    private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(10);

    private final ProcessingClaims claims;
    private final UploadProcessor processor;
    private final UploadRepository uploads;
    private final ForwardService forward;
    private final BlobStore store;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final AuditLog audit;
    private final Duration firstRetry;
    private final int maxAttempts;
    private final Duration staleAfter;
    private final int workers;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("upload-pipeline-timer").daemon().factory());
    private final ExecutorService settler = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("upload-settle").factory());
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicBoolean wanted = new AtomicBoolean();
    /** Uploads this instance is processing: never released as stale while it still works on them. */
    private final Set<UUID> inProgress = ConcurrentHashMap.newKeySet();
    /** Set when the instance shuts down: workers finish what they hold and claim nothing more. */
    private volatile boolean stopping;

    UploadPipeline(ProcessingClaims claims, UploadProcessor processor, UploadRepository uploads, ForwardService forward,
                   BlobStore store, TransactionTemplate tx, Clock clock, AuditLog audit,
                   @Value("${relaypacs.pipeline.first-retry:5s}") Duration firstRetry,
                   @Value("${relaypacs.pipeline.max-attempts:8}") int maxAttempts,
                   @Value("${relaypacs.pipeline.stale-after:15m}") Duration staleAfter,
                   @Value("${relaypacs.pipeline.workers:0}") int workers) {
        this.claims = claims;
        this.processor = processor;
        this.uploads = uploads;
        this.forward = forward;
        this.store = store;
        this.tx = tx;
        this.clock = clock;
        this.audit = audit;
        this.firstRetry = firstRetry;
        this.maxAttempts = maxAttempts;
        this.staleAfter = staleAfter;
        this.workers = workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
        this.pool = Executors.newFixedThreadPool(this.workers, Thread.ofPlatform().name("upload-pipeline-", 0).factory());
    }

    /** Something became ready to process: a worker starts on it now, unless every worker is busy (then one goes on). */
    void wake() {
        wanted.set(true);
        for (int n = active.get(); n < workers; n = active.get()) {
            if (active.compareAndSet(n, n + 1)) {
                try {
                    pool.execute(this::drain);
                } catch (RejectedExecutionException shuttingDown) {
                    active.decrementAndGet();
                }
                return;
            }
        }
    }

    /** One worker: claims and processes uploads until none is due, then checks it was not woken meanwhile. */
    private void drain() {
        try {
            do {
                wanted.set(false);
                for (UUID id = next(); id != null; id = next()) {
                    wake(); // more may be waiting: another worker joins (up to the limit) while this one works
                    inProgress.add(id);
                    try {
                        processOne(id);
                    } finally {
                        inProgress.remove(id);
                    }
                }
            } while (wanted.get());
        } catch (RuntimeException e) {
            log.warn("Upload pipeline worker stopped ({}); the safety net resumes it", e.toString());
        } finally {
            active.decrementAndGet();
            if (wanted.get()) {
                wake();
            }
        }
    }

    private UUID next() {
        return stopping ? null : claims.claimNext();
    }

    /** Processes one claimed upload; whatever happens, it leaves PROCESSING with a reason or a retry time. */
    void processOne(UUID id) {
        try {
            UploadProcessor.Result result = processor.process(id);
            if (result.failure() != null) {
                fail(id, result.failure());
                deleteQuietly(id);
            } else if (!result.queued()) {
                settle(id); // nothing to send (every file skipped): finished now, no outcome will come
            }
        } catch (IOException | UncheckedIOException | DataAccessException | TransactionException e) {
            retryLater(id, "The server could not read this file back from its storage (" + e.getMessage()
                    + "). Please send it again.", e);
        } catch (Throwable e) { // a file must never pin a worker or stay PROCESSING: even an Error ends it
            log.error("Processing upload {} failed unexpectedly", id, e);
            fail(id, "RelayPACS could not process this file (" + e.getClass().getSimpleName()
                    + "). It was not sent; please tell your administrator.");
            deleteQuietly(id);
        }
    }

    private void retryLater(UUID id, String finalReason, Exception cause) {
        try {
            Instant retryAt = tx.execute(s -> uploads.findById(id).map(u -> {
                if (u.getState() != UploadState.PROCESSING) {
                    return null;
                }
                Instant now = clock.instant();
                Instant at = now.plus(backoff(u.getProcessingAttempts() + 1));
                if (u.retryProcessing(now, at) >= maxAttempts) {
                    u.fail(finalReason, now);
                    return null;
                }
                return at;
            }).orElse(null));
            log.warn("Processing upload {} failed ({}): {}", id, retryAt == null ? "given up" : "retry at " + retryAt, cause.toString());
            if (retryAt != null) {
                timer.schedule(this::wake, Math.max(0, Duration.between(clock.instant(), retryAt).toMillis()) + 1, TimeUnit.MILLISECONDS);
            } else {
                deleteQuietly(id);
            }
        } catch (RuntimeException e) {
            // The database is away too: the claim stays PROCESSING and is released (and counted) as stale.
            log.warn("Could not record the failed processing of upload {}: {}", id, e.toString());
        }
    }

    /** first-retry x 2^(attempts-1), at most ten minutes. */
    Duration backoff(int attempts) {
        Duration wait = firstRetry.multipliedBy(1L << Math.min(20, Math.max(0, attempts - 1)));
        return wait.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : wait;
    }

    /**
     * Forwarding settled some instances: the uploads whose instances are all settled are finished now, on a thread
     * of their own so the forwarding lane goes straight on to its next batch (the safety net covers a crash between).
     */
    @EventListener
    void onInstancesSettled(InstancesSettled event) {
        try {
            settler.execute(() -> {
                try {
                    settle(event.uploadIds());
                } catch (RuntimeException e) {
                    log.warn("Could not finish uploads now ({}); the safety net will", e.toString());
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            log.debug("Shutting down: the next start finishes these uploads");
        }
    }

    void settle(UUID id) {
        settle(List.of(id));
    }

    /**
     * Finishes the uploads whose instances are all settled, in one transaction: DONE when at least one instance was
     * stored, else FAILED with the reason. Uploads another worker finished meanwhile are left as they are.
     */
    void settle(Collection<UUID> ids) {
        Map<UUID, ForwardService.Progress> settled = new HashMap<>(forward.progressOf(ids));
        ids.forEach(id -> settled.putIfAbsent(id, new ForwardService.Progress(0, 0, 0, 0))); // nothing queued at all
        settled.values().removeIf(p -> !p.settled());
        if (settled.isEmpty()) {
            return;
        }
        List<AuditLog.Entry> audits = new ArrayList<>();
        try {
            tx.executeWithoutResult(s -> {
                audits.clear();
                for (UploadSession u : uploads.findAllById(settled.keySet())) {
                    if (u.getState() != UploadState.FORWARDING) {
                        continue;
                    }
                    ForwardService.Progress p = settled.get(u.getId());
                    String failure = failureOf(p);
                    if (failure == null) {
                        u.delivered(clock.instant());
                    } else {
                        u.fail(failure, clock.instant());
                    }
                    audits.add(new AuditLog.Entry(failure == null ? AuditEventType.UPLOAD_DELIVERED : AuditEventType.UPLOAD_FAILED,
                            null, u.getClinicId(), u.getId(), Map.of("stored", p.stored(), "failed", p.failed(), "skipped", p.skipped())));
                }
            });
        } catch (OptimisticLockingFailureException settledElsewhere) {
            if (ids.size() > 1) {
                ids.forEach(this::settle); // one by one: only the one another worker finished is left out
            }
            return;
        }
        if (!audits.isEmpty()) {
            audit.recordAll(audits);
        }
    }

    private static String failureOf(ForwardService.Progress p) {
        if (p.failed() > 0) {
            return p.failed() + " of " + (p.stored() + p.failed()) + " images could not be delivered to the PACS; see each image for the reason.";
        }
        if (p.stored() > 0) {
            return null;
        }
        if (p.skipped() == 0) {
            return "There was nothing in this file to send (an empty archive?).";
        }
        return p.skipped() == 1 ? "This file is not a medical image the PACS can take, so nothing was sent."
                : "None of the " + p.skipped() + " files is a medical image the PACS can take, so nothing was sent.";
    }

    private void fail(UUID id, String reason) {
        UploadSession failed = tx.execute(s -> uploads.findById(id).filter(u -> !u.getState().isFinal()).map(u -> {
            u.fail(reason, clock.instant());
            return u;
        }).orElse(null));
        if (failed != null) {
            audit.record(AuditEventType.UPLOAD_FAILED, null, failed.getClinicId(), id, Map.of("stored", 0, "failed", 0, "skipped", 0));
        }
    }

    private void deleteQuietly(UUID id) {
        try {
            store.deleteAll(UploadKeys.of(id));
        } catch (IOException e) {
            log.warn("Could not delete the data of failed upload {}: {}", id, e.toString());
        }
    }

    /**
     * The safety net, for what no event announced: work a crash or another instance left (stale claims are released
     * and counted as an attempt), uploads due for a retry, and forwarding uploads whose last outcome was missed.
     */
    @Scheduled(fixedDelayString = "${relaypacs.pipeline.safety-net-interval:10s}")
    void safetyNet() {
        try {
            releaseStale();
            wake();
            Instant quietSince = clock.instant().minus(Duration.ofSeconds(10));
            List<UUID> forwarding = uploads.findByStateAndUpdatedAtBefore(UploadState.FORWARDING, quietSince,
                    PageRequest.of(0, 500)).stream().map(UploadSession::getId).toList();
            settle(forward.settledAmong(forwarding));
        } catch (RuntimeException e) {
            log.warn("Upload pipeline safety net failed ({}); it runs again shortly", e.toString());
        }
    }

    private void releaseStale() {
        for (UploadSession stale : uploads.findByStateAndUpdatedAtBefore(UploadState.PROCESSING,
                clock.instant().minus(staleAfter), PageRequest.of(0, 100))) {
            if (inProgress.contains(stale.getId())) {
                continue;
            }
            log.warn("Upload {} was left processing (an instance stopped); processing it again", stale.getId());
            retryLater(stale.getId(), "RelayPACS was interrupted each time it processed this file. Please send it again.",
                    new IllegalStateException("processing interrupted"));
        }
    }

    /**
     * Graceful shutdown: no new claims; what is being processed gets a while to finish, and what is still held after
     * that is handed back at once (due now, no attempt counted), so another instance takes it without waiting for
     * the stale delay.
     */
    @PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        timer.shutdownNow();
        settler.shutdown();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(15, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } finally {
            handBack(Set.copyOf(inProgress));
        }
    }

    private void handBack(Set<UUID> held) {
        for (UUID id : held) {
            try {
                tx.executeWithoutResult(s -> uploads.findById(id).filter(u -> u.getState() == UploadState.PROCESSING)
                        .ifPresent(u -> u.handBack(clock.instant())));
                log.info("Upload {} handed back for another instance to process", id);
            } catch (RuntimeException e) {
                log.warn("Could not hand back upload {} ({}); it is released as stale later", id, e.toString());
            }
        }
    }
}
