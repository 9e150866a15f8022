package io.relaypacs.forward;

import io.micrometer.core.instrument.MeterRegistry;
import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Delivers due outbox rows, claimed through {@link OutboxClaims} so several app instances share the work; a row
 * left SENDING by a crash is released after {@code relaypacs.forward.stale-after}. Where each row goes is
 * {@link ForwardRouting}'s decision and what its row says afterwards {@link Settlement}'s. Before sending, a
 * destination that can be asked ({@link LookUp}) is asked which instances it already has (so a resend after a crash,
 * or a duplicate, is not sent again); after an acknowledgement it is asked again to confirm.
 */
@Component
class ForwardWorker {
    private static final Logger log = LoggerFactory.getLogger(ForwardWorker.class);

    private final OutboxRepository outbox;
    private final DestinationService destinations;
    private final ForwardProperties properties;
    private final TransactionTemplate tx;
    private final OutboxClaims claims;
    private final OutboxRows rows;
    private final ForwardRouting routing;
    private final Settlement settlement;
    private final Clock clock;
    private final AuditLog audit;
    private final MeterRegistry metrics;
    private final ApplicationEventPublisher events;
    private final RefusedEncodings refusedEncodings;
    private final AtomicBoolean wanted = new AtomicBoolean();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicReference<Instant> retryWakeAt = new AtomicReference<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("forward-retry-timer").daemon().factory());
    /** Rows this instance has claimed and not yet recorded: handed back at once if it shuts down holding them. */
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    /** Set when the instance shuts down: lanes finish their batch and claim nothing more. */
    private volatile boolean stopping;

    ForwardWorker(OutboxRepository outbox, DestinationService destinations, ForwardProperties properties,
                  TransactionTemplate tx, OutboxClaims claims, OutboxRows rows, ForwardRouting routing, Clock clock,
                  AuditLog audit, MeterRegistry metrics, ApplicationEventPublisher events, RefusedEncodings refusedEncodings) {
        this.refusedEncodings = refusedEncodings;
        this.outbox = outbox;
        this.destinations = destinations;
        this.properties = properties;
        this.tx = tx;
        this.claims = claims;
        this.rows = rows;
        this.routing = routing;
        this.settlement = new Settlement(properties, routing, new Random());
        this.clock = clock;
        this.audit = audit;
        this.metrics = metrics;
        this.events = events;
    }

    /** Until when the circuit breaker leaves a destination alone, or null: for health and the admin view. */
    Instant restingUntil(long destination) {
        return routing.restingUntil(destination);
    }

    /**
     * Work is waiting (instances queued, or due for a retry): a lane starts on it now unless every lane is busy, in
     * which case a busy lane takes it when its batch is done. Lanes run side by side so one batch is sent while
     * another is verified and recorded; claiming keeps them apart, and batches fill up while lanes are busy.
     */
    void wakeUp() {
        if (stopping) {
            return;
        }
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
                    try {
                        routing.byDestination(claimed).forEach(this::deliverTo);
                    } finally {
                        claimed.forEach(row -> inFlight.remove(row.getId()));
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
        long delay = Math.max(0, Duration.between(clock.instant(), next).toMillis()) + 1;
        Instant planned = retryWakeAt.get();
        if (planned != null && planned.isAfter(clock.instant()) && !planned.isAfter(next)) {
            return; // an earlier or equal wake-up is already planned
        }
        retryWakeAt.set(next);
        timer.schedule(this::wakeUp, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Graceful shutdown: lanes claim nothing more and get a while to finish their batch; rows still held after that
     * go back to the queue at once (another instance looks them up on the PACS before sending, so nothing is sent
     * twice), instead of waiting for the stale delay.
     */
    @PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        timer.shutdownNow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (active.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        for (Long id : Set.copyOf(inFlight)) {
            try {
                tx.executeWithoutResult(s -> outbox.findById(id).filter(r -> r.getState() == InstanceState.SENDING)
                        .ifPresent(r -> r.update(InstanceState.QUEUED, "Waiting to be sent again after an interruption.",
                                clock.instant())));
            } catch (RuntimeException e) {
                log.warn("Could not hand back outbox row {} ({}); it is released as stale later", id, e.toString());
            }
        }
    }

    private List<OutboxInstance> claim() {
        if (stopping) {
            return List.of();
        }
        List<Long> ids = claims.claim(properties.batchSize(), clock.instant(), clock.instant().plus(properties.linger()));
        inFlight.addAll(ids);
        return ids.isEmpty() ? List.of() : outbox.findAllById(ids);
    }

    /** Sends the rows for one destination in batches of at most {@code batch-bytes}. */
    private void deliverTo(Long destinationId, List<OutboxInstance> group) {
        Destination target = destinations.client(destinationId).orElse(null);
        if (target == null) {
            group.forEach(r -> rows.putBack(r, clock.instant().plus(ForwardRouting.NO_DESTINATION_WAIT),
                    "Waiting: the destination was disabled."));
            return;
        }
        List<OutboxInstance> batch = new ArrayList<>();
        long bytes = 0;
        for (OutboxInstance row : group) {
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

    /** One batch: what is already there, send the rest, confirm, then record every row's outcome and announce it. */
    private void deliver(Long destinationId, Destination target, List<OutboxInstance> batch) {
        List<Destination.Outgoing> outgoing = batch.stream().map(OutboxInstance::outgoing).toList();
        long started = System.nanoTime();
        Set<String> already = lookUp(target, outgoing);
        Map<String, Destination.Delivery> byUid = new HashMap<>();
        already.forEach(uid -> byUid.put(uid, new Destination.Delivery(uid, Destination.Outcome.ALREADY_STORED,
                "Already on the PACS: it was there before RelayPACS sent it.")));
        List<Destination.Outgoing> toSend = outgoing.stream().filter(o -> !already.contains(o.sopInstanceUid())).toList();
        long looked = System.nanoTime();
        if (!toSend.isEmpty()) {
            boolean reached = send(target, toSend, byUid);
            refusedEncodings.sendDecompressed(destinationId, target, toSend, byUid);
            metrics.timer("relaypacs.forward.batch", "destination", target.name(), "reached", String.valueOf(reached))
                    .record(Duration.ofNanos(System.nanoTime() - looked));
            routing.reached(destinationId, reached);
        } else {
            routing.reached(destinationId, true);
        }
        long sentAt = System.nanoTime();
        Set<String> confirmed = confirmStored(target, outgoing, byUid);
        long verified = System.nanoTime();
        Map<UUID, int[]> storedAndFailed = record(batch, byUid, already, confirmed);
        byUid.values().forEach(d -> metrics.counter("relaypacs.forward.instances", "destination", target.name(),
                "outcome", d.outcome().name().toLowerCase(Locale.ROOT)).increment());
        announce(destinationId, batch, storedAndFailed);
        log.debug("{} instance(s) to {}: lookup {} ms, send {} ms, verification {} ms, bookkeeping {} ms", batch.size(),
                target.name(), (looked - started) / 1_000_000, (sentAt - looked) / 1_000_000,
                (verified - sentAt) / 1_000_000, (System.nanoTime() - verified) / 1_000_000);
    }

    /**
     * Sends and collects the destination's answer per instance; a broken exchange means every instance is retried.
     * Returns whether the destination was reached (any answer other than "try again").
     */
    private boolean send(Destination target, List<Destination.Outgoing> toSend, Map<String, Destination.Delivery> byUid) {
        try {
            target.send(toSend).forEach(d -> byUid.putIfAbsent(d.sopInstanceUid(), d));
        } catch (IOException | RuntimeException e) {
            log.warn("Sending {} instance(s) to {} failed: {}", toSend.size(), target.name(), e.toString());
            String message = "The PACS could not be reached (" + e.getClass().getSimpleName() + "); RelayPACS will try again.";
            toSend.forEach(o -> byUid.put(o.sopInstanceUid(),
                    new Destination.Delivery(o.sopInstanceUid(), Destination.Outcome.RETRY, message)));
        }
        return toSend.stream().anyMatch(o -> {
            Destination.Delivery d = byUid.get(o.sopInstanceUid());
            return d != null && d.outcome() != Destination.Outcome.RETRY;
        });
    }

    /** Settles every row of the batch in one transaction; counts stored and failed instances per upload. */
    private Map<UUID, int[]> record(List<OutboxInstance> batch, Map<String, Destination.Delivery> byUid,
                                    Set<String> already, Set<String> confirmed) {
        Instant now = clock.instant();
        Map<UUID, int[]> storedAndFailed = new HashMap<>();
        tx.executeWithoutResult(s -> {
            for (OutboxInstance row : batch) {
                String uid = row.getSopInstanceUid();
                Destination.Delivery d = byUid.getOrDefault(uid, new Destination.Delivery(uid,
                        Destination.Outcome.RETRY, "No answer for this image; it will be sent again."));
                outbox.findById(row.getId()).ifPresent(fresh -> {
                    settlement.settle(fresh, d, !already.contains(uid), confirmed.contains(uid), now);
                    int[] counts = storedAndFailed.computeIfAbsent(fresh.getUploadId(), k -> new int[2]);
                    if (fresh.getState() == InstanceState.STORED) {
                        counts[0]++;
                    } else if (fresh.getState() == InstanceState.FAILED) {
                        counts[1]++;
                    }
                });
            }
        });
        return storedAndFailed;
    }

    /** Audits the outcome per upload and tells the pipeline which uploads may now be finished. */
    private void announce(Long destinationId, List<OutboxInstance> batch, Map<UUID, int[]> storedAndFailed) {
        Map<UUID, Long> clinics = new HashMap<>();
        batch.forEach(row -> clinics.put(row.getUploadId(), row.getClinicId()));
        List<AuditLog.Entry> audits = new ArrayList<>();
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
    }

    /** Which instances the destination already holds; none when it cannot be asked or does not answer. */
    private Set<String> lookUp(Destination target, List<Destination.Outgoing> outgoing) {
        if (!(target instanceof LookUp lookUp)) {
            return Set.of();
        }
        try {
            return lookUp.present(outgoing);
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
        if (acknowledged.isEmpty() || !(target instanceof LookUp lookUp)) {
            return taken;
        }
        try {
            return lookUp.present(acknowledged);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not verify {} stored instance(s) on {}: {}", acknowledged.size(), target.name(), e.toString());
            return taken;
        }
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
