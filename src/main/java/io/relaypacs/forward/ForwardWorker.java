package io.relaypacs.forward;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.PageRequest;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Delivers due outbox rows in batches. A row is claimed (QUEUED/RETRY_WAIT -> SENDING) in its own short transaction
 * guarded by the row version, so concurrent workers never send the same row; a row left SENDING by a crash is
 * released after {@link #STALE_SENDING}.
 */
@Component
class ForwardWorker {
    private static final Logger log = LoggerFactory.getLogger(ForwardWorker.class);
    static final Duration STALE_SENDING = Duration.ofMinutes(10);

    private final OutboxRepository outbox;
    private final ObjectProvider<Destination> destination;
    private final ForwardProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();

    ForwardWorker(OutboxRepository outbox, ObjectProvider<Destination> destination, ForwardProperties properties,
                  TransactionTemplate tx, Clock clock) {
        this.outbox = outbox;
        this.destination = destination;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
    }

    /** Runs a delivery round soon instead of waiting for the next tick. */
    void wakeUp() {
        Thread.ofVirtual().name("forward-wakeup").start(this::deliverDue);
    }

    @Scheduled(fixedDelayString = "${relaypacs.forward.poll-interval:1s}")
    void deliverDue() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            releaseStale();
            Destination target = destination.getIfAvailable();
            if (target == null) {
                return;
            }
            List<OutboxInstance> batch;
            while (!(batch = claim()).isEmpty()) {
                deliver(target, batch);
            }
        } catch (RuntimeException e) {
            log.error("Forwarding round failed; it will run again", e);
        } finally {
            running.set(false);
        }
    }

    private List<OutboxInstance> claim() {
        Instant now = clock.instant();
        List<OutboxInstance> claimed = new ArrayList<>();
        for (OutboxInstance candidate : outbox.findDue(List.of(InstanceState.QUEUED, InstanceState.RETRY_WAIT), now,
                PageRequest.of(0, properties.batchSize()))) {
            try {
                claimed.add(tx.execute(s -> {
                    OutboxInstance row = outbox.findById(candidate.getId()).orElseThrow();
                    if (row.getState() != InstanceState.QUEUED && row.getState() != InstanceState.RETRY_WAIT) {
                        throw new org.springframework.orm.ObjectOptimisticLockingFailureException(OutboxInstance.class, row.getId());
                    }
                    row.countAttempt();
                    row.update(InstanceState.SENDING, "Sending to the PACS.", now);
                    return outbox.saveAndFlush(row);
                }));
            } catch (org.springframework.dao.OptimisticLockingFailureException | java.util.NoSuchElementException taken) {
                // another worker claimed it, or it was removed
            }
        }
        return claimed;
    }

    private void deliver(Destination target, List<OutboxInstance> batch) {
        List<Destination.Outgoing> outgoing = batch.stream().map(i -> new Destination.Outgoing(i.getSopInstanceUid(),
                i.getSopClassUid(), i.getStorageKey(), i.getSize(), i.getStudyUid())).toList();
        Map<String, Destination.Delivery> byUid;
        try {
            byUid = target.send(outgoing).stream()
                    .collect(Collectors.toMap(Destination.Delivery::sopInstanceUid, Function.identity(), (a, b) -> a));
        } catch (IOException | RuntimeException e) {
            log.warn("Sending {} instance(s) to {} failed: {}", batch.size(), target.name(), e.toString());
            String message = "The PACS could not be reached (" + e.getClass().getSimpleName()
                    + "); RelayPACS will try again.";
            byUid = outgoing.stream().collect(Collectors.toMap(Destination.Outgoing::sopInstanceUid,
                    o -> new Destination.Delivery(o.sopInstanceUid(), Destination.Outcome.RETRY, message), (a, b) -> a));
        }
        Set<String> confirmed = confirmStored(target, outgoing, byUid);
        Instant now = clock.instant();
        for (OutboxInstance row : batch) {
            Destination.Delivery d = byUid.getOrDefault(row.getSopInstanceUid(), new Destination.Delivery(
                    row.getSopInstanceUid(), Destination.Outcome.RETRY, "No answer for this image; it will be sent again."));
            tx.executeWithoutResult(s -> {
                OutboxInstance fresh = outbox.findById(row.getId()).orElse(null);
                if (fresh == null) {
                    return;
                }
                switch (d.outcome()) {
                    case STORED -> {
                        if (confirmed.contains(row.getSopInstanceUid())) {
                            fresh.update(InstanceState.STORED, d.message(), now);
                        } else if (fresh.unconfirmedOnce() == 1) {
                            fresh.retryAt(now, "The PACS said it stored this image but does not have it; sending it "
                                    + "once more.", now);
                        } else {
                            fresh.update(InstanceState.FAILED, "The PACS acknowledged this image twice but did not keep "
                                    + "it: a rule or filter on the PACS may be dropping it. Ask the PACS administrator.", now);
                        }
                    }
                    case REJECTED -> fresh.update(InstanceState.FAILED, d.message(), now);
                    case RETRY -> {
                        if (fresh.getAttempts() >= properties.maxAttempts()) {
                            fresh.update(InstanceState.FAILED, d.message() + " Gave up after "
                                    + fresh.getAttempts() + " attempts.", now);
                        } else {
                            fresh.retryAt(now.plus(backoff(fresh.getAttempts())), d.message(), now);
                        }
                    }
                }
            });
        }
    }

    /**
     * Asks the destination which acknowledged instances it really has. If it cannot be asked, they are taken as
     * stored (and the log says so): failing to verify is not evidence of loss.
     */
    private Set<String> confirmStored(Destination target, List<Destination.Outgoing> outgoing,
                                      Map<String, Destination.Delivery> byUid) {
        List<Destination.Outgoing> acknowledged = outgoing.stream().filter(o -> {
            Destination.Delivery d = byUid.get(o.sopInstanceUid());
            return d != null && d.outcome() == Destination.Outcome.STORED;
        }).toList();
        if (acknowledged.isEmpty()) {
            return Set.of();
        }
        try {
            return target.confirm(acknowledged);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not verify {} stored instance(s) on {}: {}", acknowledged.size(), target.name(), e.toString());
            return acknowledged.stream().map(Destination.Outgoing::sopInstanceUid).collect(Collectors.toSet());
        }
    }

    /** Exponential backoff with full jitter, capped. */
    Duration backoff(int attempts) {
        long base = properties.firstRetry().toMillis() << Math.min(attempts - 1, 20);
        long capped = Math.min(base, properties.maxRetryDelay().toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private void releaseStale() {
        Instant cutoff = clock.instant().minus(STALE_SENDING);
        for (OutboxInstance stale : outbox.findByStateAndUpdatedAtBefore(InstanceState.SENDING, cutoff)) {
            tx.executeWithoutResult(s -> outbox.findById(stale.getId()).ifPresent(row -> {
                if (row.getState() == InstanceState.SENDING) {
                    row.update(InstanceState.QUEUED, "Waiting to be sent again after an interruption.", clock.instant());
                }
            }));
        }
    }
}
