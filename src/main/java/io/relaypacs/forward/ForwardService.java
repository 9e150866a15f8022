package io.relaypacs.forward;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The outbox: what is queued for the PACS per upload, and how far delivery has come. */
@Service
public class ForwardService {
    private final OutboxRepository outbox;
    private final Clock clock;
    private final ForwardWorker worker;
    private final DestinationService destinations;

    ForwardService(OutboxRepository outbox, Clock clock, ForwardWorker worker, DestinationService destinations) {
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
    public void enqueue(UUID uploadId, Long clinicId, List<OutboundInstance> instances, List<Skip> skipped) {
        Instant now = clock.instant();
        Long destination = destinations.routeFor(clinicId).primary();
        outbox.deleteAll(outbox.findByUploadIdOrderByIdAsc(uploadId));
        outbox.flush();
        instances.forEach(i -> outbox.save(OutboxInstance.queued(uploadId, clinicId, destination, i, now)));
        skipped.forEach(s -> outbox.save(OutboxInstance.skipped(uploadId, s.sourceName(), s.reason(), now)));
        worker.wakeUp();
    }

    @Transactional(readOnly = true)
    public List<InstanceResult> resultsOf(UUID uploadId) {
        return outbox.findByUploadIdOrderByIdAsc(uploadId).stream().map(OutboxInstance::toResult).toList();
    }

    /** Counts by state for one upload, to decide whether it is finished. */
    @Transactional(readOnly = true)
    public Progress progressOf(UUID uploadId) {
        int stored = 0, failed = 0, skipped = 0, pending = 0;
        for (OutboxInstance i : outbox.findByUploadIdOrderByIdAsc(uploadId)) {
            switch (i.getState()) {
                case STORED -> stored++;
                case FAILED -> failed++;
                case SKIPPED -> skipped++;
                default -> pending++;
            }
        }
        return new Progress(stored, failed, skipped, pending);
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
