package io.relaypacs.forward;

import io.micrometer.core.instrument.MeterRegistry;
import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Delivers due outbox rows, claimed through {@link OutboxClaims} so several app instances share the work; a row
 * left SENDING by a crash is released after {@code relaypacs.forward.stale-after}. Before sending, a destination
 * that can be asked is asked which instances it already has (so a resend after a crash, or a duplicate, is not sent
 * again); after an acknowledgement it is asked again to confirm.
 */
@Component
class ForwardWorker {
    private static final Logger log = LoggerFactory.getLogger(ForwardWorker.class);
    private static final Duration NO_DESTINATION_WAIT = Duration.ofMinutes(1);

    private final OutboxRepository outbox;
    private final DestinationService destinations;
    private final ForwardProperties properties;
    private final TransactionTemplate tx;
    private final OutboxClaims claims;
    private final Clock clock;
    private final CircuitBreaker breaker;
    private final AuditLog audit;
    private final MeterRegistry metrics;
    private final AtomicBoolean wanted = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicReference<Instant> retryWakeAt = new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(Thread.ofPlatform().name("forward-retry-timer").daemon().factory());
    private final org.springframework.context.ApplicationEventPublisher events;

    ForwardWorker(OutboxRepository outbox, DestinationService destinations, ForwardProperties properties,
                  TransactionTemplate tx, OutboxClaims claims, Clock clock, AuditLog audit, MeterRegistry metrics,
                  org.springframework.context.ApplicationEventPublisher events) {
        this.events = events;
        this.audit = audit;
        this.metrics = metrics;
        this.outbox = outbox;
        this.destinations = destinations;
        this.properties = properties;
        this.tx = tx;
        this.claims = claims;
        this.clock = clock;
        this.breaker = new CircuitBreaker(properties.breakerThreshold(), properties.breakerOpen());
    }

    /** Until when the circuit breaker leaves a destination alone, or null: for health and the admin view. */
    java.time.Instant restingUntil(long destination) {
        return breaker.openUntil(destination, clock.instant());
    }

    /**
     * Work is waiting (instances queued, or due for a retry): a lane starts on it now unless every lane is busy, in
     * which case a busy lane takes it when its batch is done. Lanes run side by side so one batch is sent while
     * another is verified and recorded; claiming keeps them apart, and batches fill up while lanes are busy.
     */
    void wakeUp() {
        wanted.set(true);
        for (int n = active.get(); n < properties.lanes(); n = active.get()) {
            if (active.compareAndSet(n, n + 1)) {
                Thread.ofVirtual().name("forward-lane").start(this::drain);
                return;
            }
        }
    }

    /** The safety net: rows a crash left SENDING, and anything no wake-up announced. */
    @Scheduled(fixedDelayString = "${relaypacs.forward.poll-interval:10s}")
    void deliverDue() {
        try {
            releaseStale();
        } catch (RuntimeException e) {
            log.warn("Could not release stale outbox rows ({}); trying again shortly", e.toString());
        }
        wakeUp();
    }

    /** One lane: claims and delivers batches until nothing is due, then checks it was not woken meanwhile. */
    private void drain() {
        try {
            do {
                wanted.set(false);
                List<OutboxInstance> claimed;
                while (!(claimed = claim()).isEmpty()) {
                    if (claimed.size() == properties.batchSize()) {
                        wakeUp(); // a full batch: more may be waiting, so another lane joins while this one sends
                    }
                    for (Map.Entry<Long, List<OutboxInstance>> group : byDestination(claimed).entrySet()) {
                        deliverTo(group.getKey(), group.getValue());
                    }
                }
            } while (wanted.get());
            scheduleNextRetry();
        } catch (RuntimeException e) {
            log.error("A forwarding lane failed; it will run again", e);
        } finally {
            active.decrementAndGet();
            if (wanted.get()) {
                wakeUp();
            }
        }
    }

    /** Wakes a lane when the earliest waiting row becomes due, so a retry never waits for the safety net. */
    private void scheduleNextRetry() {
        Instant next = claims.nextDue();
        if (next == null) {
            return;
        }
        // +1 ms: milliseconds round down, and a wake-up a fraction early would find nothing due and plan nothing more
        long delay = Math.max(0, java.time.Duration.between(clock.instant(), next).toMillis()) + 1;
        Instant planned = retryWakeAt.get();
        if (planned != null && planned.isAfter(clock.instant()) && !planned.isAfter(next)) {
            return; // an earlier or equal wake-up is already planned
        }
        retryWakeAt.set(next);
        timer.schedule(this::wakeUp, delay, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    private List<OutboxInstance> claim() {
        List<Long> ids = claims.claim(properties.batchSize(), clock.instant(), clock.instant().plus(properties.linger()));
        return ids.isEmpty() ? List.of() : outbox.findAllById(ids);
    }

    /**
     * Groups rows by the destination they go to now: their own, else their clinic's primary. Rows whose destination
     * is resting (circuit breaker) move to the fallback when they have one, else wait; rows with nowhere to go wait.
     */
    private Map<Long, List<OutboxInstance>> byDestination(List<OutboxInstance> rows) {
        Instant now = clock.instant();
        Map<Long, DestinationService.Route> routes = new HashMap<>();
        Map<Long, Boolean> usable = new HashMap<>();
        Map<Long, List<OutboxInstance>> groups = new LinkedHashMap<>();
        for (OutboxInstance row : rows) {
            DestinationService.Route route = routes.computeIfAbsent(row.getClinicId() == null ? -1L : row.getClinicId(),
                    k -> destinations.routeFor(row.getClinicId()));
            Long own = row.getDestinationId();
            Long target = own != null && usable.computeIfAbsent(own, id -> destinations.client(id).isPresent())
                    ? own : route.primary();
            if (target == null) {
                putBack(row, now.plus(NO_DESTINATION_WAIT), "Waiting: no PACS is configured to send to yet.");
                continue;
            }
            Instant resting = breaker.openUntil(target, now);
            if (resting != null) {
                Long fallback = fallbackFor(row, route, target);
                if (fallback != null && breaker.openUntil(fallback, now) == null) {
                    target = fallback;
                    save(row, r -> r.switchTo(fallback, destinations.nameOf(r.getDestinationId())
                            + " is not answering; sending to " + destinations.nameOf(fallback) + ".", now));
                } else {
                    putBack(row, resting, destinations.nameOf(target) + " is not answering; RelayPACS will try again "
                            + "shortly.");
                    continue;
                }
            }
            if (!target.equals(row.getDestinationId())) {
                Long chosen = target;
                save(row, r -> r.routeTo(chosen));
            }
            groups.computeIfAbsent(target, k -> new ArrayList<>()).add(row);
        }
        return groups;
    }

    private Long fallbackFor(OutboxInstance row, DestinationService.Route route, Long current) {
        return row.isFailedOver() || route.fallback() == null || route.fallback().equals(current) ? null : route.fallback();
    }

    private void deliverTo(Long destinationId, List<OutboxInstance> rows) {
        Destination target = destinations.client(destinationId).orElse(null);
        if (target == null) {
            rows.forEach(r -> putBack(r, clock.instant().plus(NO_DESTINATION_WAIT), "Waiting: the destination was disabled."));
            return;
        }
        List<OutboxInstance> batch = new ArrayList<>();
        long bytes = 0;
        for (OutboxInstance row : rows) {
            if (!batch.isEmpty() && bytes + row.getSize() > properties.batchBytes()) {
                deliver(destinationId, target, batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(row);
            bytes += row.getSize();
        }
        if (!batch.isEmpty()) {
            deliver(destinationId, target, batch);
        }
    }

    private void deliver(Long destinationId, Destination target, List<OutboxInstance> batch) {
        List<Destination.Outgoing> outgoing = batch.stream().map(i -> new Destination.Outgoing(i.getSopInstanceUid(),
                i.getSopClassUid(), i.getStorageKey(), i.getSize(), i.getStudyUid(), i.getTransferSyntax())).toList();
        Map<String, Destination.Delivery> byUid = new HashMap<>();
        long started = System.nanoTime();
        Set<String> already = lookUp(target, outgoing);
        long looked = System.nanoTime();
        already.forEach(uid -> byUid.put(uid, new Destination.Delivery(uid, Destination.Outcome.ALREADY_STORED,
                "Already on the PACS: it was there before RelayPACS sent it.")));
        List<Destination.Outgoing> toSend = outgoing.stream().filter(o -> !already.contains(o.sopInstanceUid())).toList();
        boolean reached = toSend.isEmpty();
        if (!toSend.isEmpty()) {
            try {
                target.send(toSend).forEach(d -> byUid.putIfAbsent(d.sopInstanceUid(), d));
            } catch (IOException | RuntimeException e) {
                log.warn("Sending {} instance(s) to {} failed: {}", toSend.size(), target.name(), e.toString());
                String message = "The PACS could not be reached (" + e.getClass().getSimpleName()
                        + "); RelayPACS will try again.";
                toSend.forEach(o -> byUid.put(o.sopInstanceUid(),
                        new Destination.Delivery(o.sopInstanceUid(), Destination.Outcome.RETRY, message)));
            }
            reached = toSend.stream().anyMatch(o -> {
                Destination.Delivery d = byUid.get(o.sopInstanceUid());
                return d != null && d.outcome() != Destination.Outcome.RETRY;
            });
        }
        long sentAt = System.nanoTime();
        if (!toSend.isEmpty()) {
            metrics.timer("relaypacs.forward.batch", "destination", target.name(), "reached", String.valueOf(reached))
                    .record(Duration.ofNanos(sentAt - looked));
        }
        Instant now = clock.instant();
        if (reached) {
            breaker.succeeded(destinationId);
        } else {
            breaker.failed(destinationId, now);
        }
        Set<String> confirmed = confirmStored(target, outgoing, byUid);
        long verified = System.nanoTime();
        Map<java.util.UUID, int[]> storedAndFailed = new HashMap<>();
        tx.executeWithoutResult(s -> {
            for (OutboxInstance row : batch) {
                Destination.Delivery d = byUid.getOrDefault(row.getSopInstanceUid(), new Destination.Delivery(
                        row.getSopInstanceUid(), Destination.Outcome.RETRY, "No answer for this image; it will be sent again."));
                boolean sent = !already.contains(row.getSopInstanceUid());
                outbox.findById(row.getId()).ifPresent(fresh -> {
                    settle(fresh, d, sent, confirmed, now);
                    int[] counts = storedAndFailed.computeIfAbsent(fresh.getUploadId(), k -> new int[2]);
                    if (fresh.getState() == InstanceState.STORED) {
                        counts[0]++;
                    } else if (fresh.getState() == InstanceState.FAILED) {
                        counts[1]++;
                    }
                });
            }
        });
        byUid.values().forEach(d -> metrics.counter("relaypacs.forward.instances", "destination", target.name(),
                "outcome", d.outcome().name().toLowerCase()).increment());
        List<AuditLog.Entry> audits = new ArrayList<>();
        Map<java.util.UUID, Long> clinics = new HashMap<>();
        batch.forEach(row -> clinics.put(row.getUploadId(), row.getClinicId()));
        storedAndFailed.forEach((upload, counts) -> {
            Long clinic = clinics.get(upload);
            if (counts[0] > 0) {
                audits.add(new AuditLog.Entry(AuditEventType.INSTANCES_STORED, null, clinic, upload,
                        Map.of("count", counts[0], "destination_id", destinationId)));
            }
            if (counts[1] > 0) {
                audits.add(new AuditLog.Entry(AuditEventType.INSTANCES_FAILED, null, clinic, upload,
                        Map.of("count", counts[1], "destination_id", destinationId)));
            }
        });
        if (!audits.isEmpty()) {
            audit.recordAll(audits);
        }
        try {
            events.publishEvent(new InstancesSettled(Set.copyOf(storedAndFailed.keySet())));
        } catch (RuntimeException e) {
            log.warn("Could not finish the uploads of a delivered batch now ({}); the safety net will", e.toString());
        }
        log.debug("{} instance(s) to {}: lookup {} ms, send {} ms, verification {} ms, bookkeeping {} ms", batch.size(),
                target.name(), (looked - started) / 1_000_000, (sentAt - looked) / 1_000_000,
                (verified - sentAt) / 1_000_000, (System.nanoTime() - verified) / 1_000_000);
    }

    /** What the instance's row says after this delivery. */
    private void settle(OutboxInstance row, Destination.Delivery d, boolean sent, Set<String> confirmed, Instant now) {
        if (sent) {
            row.countAttempt();
        }
        switch (d.outcome()) {
            case ALREADY_STORED -> row.update(InstanceState.STORED, d.message(), now);
            case STORED -> {
                if (confirmed.contains(row.getSopInstanceUid())) {
                    row.update(InstanceState.STORED, d.message(), now);
                } else if (row.unconfirmedOnce() == 1) {
                    row.retryAt(now, "The PACS said it stored this image but does not have it; sending it once more.", now);
                } else {
                    row.update(InstanceState.FAILED, "The PACS acknowledged this image twice but did not keep it: a "
                            + "rule or filter on the PACS may be dropping it. Ask the PACS administrator.", now);
                }
            }
            case REJECTED -> row.update(InstanceState.FAILED, d.message(), now);
            case UNSUPPORTED -> {
                Long fallback = fallbackFor(row, destinations.routeFor(row.getClinicId()), row.getDestinationId());
                if (fallback != null) {
                    row.failOver(fallback, d.message() + " Sending it to " + destinations.nameOf(fallback) + ".", now);
                } else {
                    row.update(InstanceState.FAILED, d.message(), now);
                }
            }
            case RETRY -> retryOrGiveUp(row, d.message(), now);
        }
    }

    private void retryOrGiveUp(OutboxInstance row, String message, Instant now) {
        boolean pastDeadline = now.isAfter(row.getCreatedAt().plus(properties.giveUpAfter()));
        if (pastDeadline || row.getAttempts() >= properties.maxAttempts()) {
            row.update(InstanceState.FAILED, message + " Gave up after " + row.getAttempts() + " attempts"
                    + (pastDeadline ? " over " + properties.giveUpAfter().toHours() + " hours." : "."), now);
            return;
        }
        if (row.getDestinationAttempts() >= properties.failoverAfter()) {
            Long fallback = fallbackFor(row, destinations.routeFor(row.getClinicId()), row.getDestinationId());
            if (fallback != null) {
                row.failOver(fallback, destinations.nameOf(row.getDestinationId()) + " failed " + row.getDestinationAttempts()
                        + " times (" + message + ") Sending to " + destinations.nameOf(fallback) + " instead.", now);
                return;
            }
        }
        row.retryAt(now.plus(backoff(row.getAttempts())), message, now);
    }

    /** Which instances the destination already holds; none when it cannot be asked or does not answer. */
    private Set<String> lookUp(Destination target, List<Destination.Outgoing> outgoing) {
        if (!target.canLookUp()) {
            return Set.of();
        }
        try {
            return target.present(outgoing);
        } catch (IOException | RuntimeException e) {
            log.debug("Could not ask {} what it holds: {}", target.name(), e.toString());
            return Set.of();
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
        Set<String> taken = acknowledged.stream().map(Destination.Outgoing::sopInstanceUid).collect(Collectors.toSet());
        if (acknowledged.isEmpty() || !target.canLookUp()) {
            return taken;
        }
        try {
            return target.present(acknowledged);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not verify {} stored instance(s) on {}: {}", acknowledged.size(), target.name(), e.toString());
            return taken;
        }
    }

    /** Exponential backoff with full jitter, capped. */
    Duration backoff(int attempts) {
        long base = properties.firstRetry().toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
        long capped = Math.min(base, properties.maxRetryDelay().toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private void putBack(OutboxInstance row, Instant when, String message) {
        save(row, r -> r.retryAt(when, message, clock.instant()));
    }

    /** Applies a change to the row's current state in its own transaction (the row may have changed or gone). */
    private void save(OutboxInstance row, java.util.function.Consumer<OutboxInstance> change) {
        tx.executeWithoutResult(s -> outbox.findById(row.getId()).ifPresent(fresh -> {
            change.accept(fresh);
            outbox.save(fresh);
        }));
    }

    private void releaseStale() {
        Instant cutoff = clock.instant().minus(properties.staleAfter());
        for (OutboxInstance stale : outbox.findByStateAndUpdatedAtBefore(InstanceState.SENDING, cutoff)) {
            tx.executeWithoutResult(s -> outbox.findById(stale.getId()).ifPresent(row -> {
                if (row.getState() == InstanceState.SENDING) {
                    row.update(InstanceState.QUEUED, "Waiting to be sent again after an interruption.", clock.instant());
                }
            }));
        }
    }

}
