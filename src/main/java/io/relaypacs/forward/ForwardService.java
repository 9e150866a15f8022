package io.relaypacs.forward;

import io.relaypacs.dicom.StoredInstance;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The outbox: what is queued for the PACS per upload, and how far delivery has come. */
@Service
public class ForwardService {
    private static final List<InstanceState> PENDING = List.of(InstanceState.QUEUED, InstanceState.RETRY_WAIT, InstanceState.SENDING);
    private final OutboxRepository outbox;
    private final Clock clock;
    private final ForwardWorker worker;
    private final DestinationService destinations;

    private final ForwardProperties properties;

    ForwardService(OutboxRepository outbox, Clock clock, ForwardWorker worker, DestinationService destinations,
                   ForwardProperties properties) {
        this.properties = properties;
        this.outbox = outbox;
        this.clock = clock;
        this.worker = worker;
        this.destinations = destinations;
    }

    /**
     * Queues an upload's instances and records its skipped files. Idempotent per upload: queuing again (after a
     * crash mid-way) replaces what was queued before rather than adding to it.
     */
    @Transactional
    public void enqueue(UUID uploadId, Long clinicId, List<StoredInstance> instances, List<Skip> skipped) {
        Instant now = clock.instant();
        Long destination = destinations.routeFor(clinicId).primary();
        outbox.deleteAll(outbox.findByUploadIdOrderByIdAsc(uploadId));
        outbox.flush();
        // A lone instance (the browser sends a series file by file) waits briefly for the rest of its study; an
        // upload that fills a batch by itself (a ZIP) leaves at once.
        Instant due = instances.size() >= properties.batchSize() ? now : now.plus(properties.linger());
        instances.forEach(i -> outbox.save(OutboxInstance.queued(uploadId, clinicId, destination, i, now, due)));
        skipped.forEach(s -> outbox.save(OutboxInstance.skipped(uploadId, s.sourceName(), s.reason(), now)));
        wakeWorkerAfterCommit();
    }

    /** The worker claims committed rows only: woken before the commit, it would find nothing and sleep. */
    private void wakeWorkerAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    worker.wakeUp();
                }
            });
        } else {
            worker.wakeUp();
        }
    }

    @Transactional(readOnly = true)
    public List<InstanceResult> resultsOf(UUID uploadId) {
        return outbox.findByUploadIdOrderByIdAsc(uploadId).stream().map(OutboxInstance::toResult).toList();
    }

    /** Counts by state for one upload, to decide whether it is finished. */
    @Transactional(readOnly = true)
    public Progress progressOf(UUID uploadId) {
        int stored = 0, failed = 0, skipped = 0, pending = 0;
        for (Object[] row : outbox.countByState(uploadId)) {
            int count = ((Number) row[1]).intValue();
            switch ((InstanceState) row[0]) {
                case STORED -> stored += count;
                case FAILED -> failed += count;
                case SKIPPED -> skipped += count;
                default -> pending += count;
            }
        }
        return new Progress(stored, failed, skipped, pending);
    }

    /** Delivery counts of several uploads in one query (uploads with no instance are absent). */
    @Transactional(readOnly = true)
    public Map<UUID, Progress> progressOf(Collection<UUID> uploadIds) {
        Map<UUID, int[]> counts = new HashMap<>();
        if (!uploadIds.isEmpty()) {
            for (Object[] row : outbox.countByUploadAndState(uploadIds)) {
                int[] c = counts.computeIfAbsent((UUID) row[0], k -> new int[4]);
                int n = ((Number) row[2]).intValue();
                switch ((InstanceState) row[1]) {
                    case STORED -> c[0] += n;
                    case FAILED -> c[1] += n;
                    case SKIPPED -> c[2] += n;
                    default -> c[3] += n;
                }
            }
        }
        Map<UUID, Progress> progress = new HashMap<>();
        counts.forEach((id, c) -> progress.put(id, new Progress(c[0], c[1], c[2], c[3])));
        return progress;
    }

    /** Of these uploads, those with no instance still on its way (settled, to be finished). */
    @Transactional(readOnly = true)
    public List<UUID> settledAmong(List<UUID> uploadIds) {
        if (uploadIds.isEmpty()) {
            return List.of();
        }
        Set<UUID> pending = new HashSet<>(outbox.withPending(uploadIds, PENDING));
        return uploadIds.stream().filter(id -> !pending.contains(id)).toList();
    }

    /**
     * For the retention purge: instances still on their way fail with a plain reason, and every instance forgets
     * its file name and where its copy was (the copy itself is deleted by the caller).
     */
    @Transactional
    public void purge(UUID uploadId, Instant now) {
        for (OutboxInstance i : outbox.findByUploadIdOrderByIdAsc(uploadId)) {
            i.purge(now);
        }
    }

    /**
     * Sends an upload's failed instances again (an administrator fixed the destination, or chooses another):
     * those whose copy is still held go back in the queue with their attempts reset, to {@code destinationId}, or
     * to their clinic's route when null. Returns how many.
     */
    @Transactional
    public int sendAgain(UUID uploadId, Long destinationId) {
        Instant now = clock.instant();
        Long target = destinationId;
        int count = 0;
        for (OutboxInstance i : outbox.findByUploadIdOrderByIdAsc(uploadId)) {
            if (i.getState() == InstanceState.FAILED && i.getStorageKey() != null) {
                i.sendAgain(target != null ? target : destinations.routeFor(i.getClinicId()).primary(),
                        target != null ? "Sent again to " + destinations.nameOf(target) + " at an administrator's request."
                                : "Sent again at an administrator's request.", now);
                count++;
            }
        }
        if (count > 0) {
            wakeWorkerAfterCommit();
        }
        return count;
    }

    /** Until when the circuit breaker leaves a destination alone (it kept failing), or null when it is in use. */
    public Instant restingUntil(long destinationId) {
        return worker.restingUntil(destinationId);
    }

    /** An administrator stopped the upload: its instances still waiting are not sent. */
    @Transactional
    public void cancel(UUID uploadId) {
        Instant now = clock.instant();
        for (OutboxInstance i : outbox.findByUploadIdOrderByIdAsc(uploadId)) {
            if (i.getState() == InstanceState.QUEUED || i.getState() == InstanceState.RETRY_WAIT) {
                i.update(InstanceState.FAILED, "Cancelled by an administrator.", now);
            }
        }
    }

    /** Instances waiting to be delivered, across all uploads. */
    @Transactional(readOnly = true)
    public long pendingCount() {
        return outbox.countByStateIn(PENDING);
    }

    /** The latest failed instances, with their reasons. */
    @Transactional(readOnly = true)
    public List<Failure> recentFailures() {
        return outbox.findTop20ByStateOrderByUpdatedAtDesc(InstanceState.FAILED).stream()
                .map(i -> new Failure(i.getUploadId(), i.getClinicId(), i.getMessage(), i.getUpdatedAt(), i.getStorageKey() != null))
                .toList();
    }

    /** A failed instance for the dashboard: no patient detail, only where it belongs and why it failed. */
    /** At most this many studies are answered to a look-up. */
    static final int MAX_STUDIES_FOUND = 10;

    /**
     * The studies the clinic's own PACS holds for a patient, asked of that PACS only (QIDO-RS or Orthanc's find). Only
     * a PACS an administrator chose for this clinic is asked, never the default every clinic shares: there a
     * look-up could find another clinic's patient. A PACS that cannot be asked, or does not answer, is said in words.
     */
    public StudySearch.Answer findStudies(Long clinicId, StudySearch.Query query) {
        Long own = destinations.ownPrimaryOf(clinicId);
        Destination destination = own == null ? null : destinations.client(own).orElse(null);
        if (!(destination instanceof LookUp lookUp)) {
            return new StudySearch.Answer(List.of(), destination == null
                    ? "Looking up studies needs a PACS set up for your clinic itself; ask your administrator. You can "
                    + "send the photos as a new study."
                    : "Your clinic's PACS cannot be searched from here (it is reached by DICOM C-STORE only).");
        }
        try {
            return new StudySearch.Answer(lookUp.studies(query, MAX_STUDIES_FOUND), null);
        } catch (IOException e) {
            return new StudySearch.Answer(List.of(), "The PACS could not be asked just now (" + e.getMessage()
                    + "). Send the photos as a new study, or try again later.");
        }
    }

    public record Failure(UUID uploadId, Long clinicId, String reason, Instant at, boolean canSendAgain) {
    }

    /** A file that will not be forwarded, and why. */
    public record Skip(String sourceName, String reason) {
    }

    /** Delivery counts of one upload. */
    public record Progress(int stored, int failed, int skipped, int pending) {
        public boolean settled() {
            return pending == 0;
        }
    }
}
