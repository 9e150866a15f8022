package io.relaypacs.forward;

import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each outbox row goes now: its own destination, else its clinic's primary; around a destination that is not
 * answering (circuit breaker) to the fallback when there is one, else the row waits. Rows with nowhere to go wait.
 */
@Component
class ForwardRouting implements Settlement.Fallbacks {
    static final Duration NO_DESTINATION_WAIT = Duration.ofMinutes(1);

    private final DestinationService destinations;
    private final OutboxRows rows;
    private final Clock clock;
    private final CircuitBreaker breaker;

    ForwardRouting(DestinationService destinations, OutboxRows rows, ForwardProperties properties, Clock clock) {
        this.destinations = destinations;
        this.rows = rows;
        this.clock = clock;
        this.breaker = new CircuitBreaker(properties.breakerThreshold(), properties.breakerOpen());
    }

    /** Groups rows by the destination they go to now; rows that must wait are put back with the reason. */
    Map<Long, List<OutboxInstance>> byDestination(List<OutboxInstance> claimed) {
        Instant now = clock.instant();
        Map<Long, DestinationService.Route> routes = new HashMap<>();
        Map<Long, Boolean> usable = new HashMap<>();
        Map<Long, List<OutboxInstance>> groups = new LinkedHashMap<>();
        for (OutboxInstance row : claimed) {
            DestinationService.Route route = routes.computeIfAbsent(row.getClinicId() == null ? -1L : row.getClinicId(),
                    k -> destinations.routeFor(row.getClinicId()));
            Long own = row.getDestinationId();
            Long target = own != null && usable.computeIfAbsent(own, id -> destinations.client(id).isPresent())
                    ? own : route.primary();
            if (target == null) {
                rows.putBack(row, now.plus(NO_DESTINATION_WAIT), "Waiting: no PACS is configured to send to yet.");
                continue;
            }
            Instant resting = breaker.openUntil(target, now);
            if (resting != null) {
                Long fallback = fallbackFor(row, route, target);
                if (fallback != null && breaker.openUntil(fallback, now) == null) {
                    target = fallback;
                    rows.save(row, r -> r.switchTo(fallback, destinations.nameOf(r.getDestinationId())
                            + " is not answering; sending to " + destinations.nameOf(fallback) + ".", now));
                } else {
                    rows.putBack(row, resting, destinations.nameOf(target) + " is not answering; RelayPACS will try "
                            + "again shortly.");
                    continue;
                }
            }
            if (!target.equals(row.getDestinationId())) {
                Long chosen = target;
                rows.save(row, r -> r.routeTo(chosen));
            }
            groups.computeIfAbsent(target, k -> new ArrayList<>()).add(row);
        }
        return groups;
    }

    @Override
    public Long fallbackFor(OutboxInstance row) {
        return fallbackFor(row, destinations.routeFor(row.getClinicId()), row.getDestinationId());
    }

    private static Long fallbackFor(OutboxInstance row, DestinationService.Route route, Long current) {
        return row.isFailedOver() || route.fallback() == null || route.fallback().equals(current) ? null : route.fallback();
    }

    @Override
    public String nameOf(Long destinationId) {
        return destinations.nameOf(destinationId);
    }

    /** A batch reached the destination (any instance got an answer other than "try again"), or did not. */
    void reached(long destinationId, boolean reached) {
        if (reached) {
            breaker.succeeded(destinationId);
        } else {
            breaker.failed(destinationId, clock.instant());
        }
    }

    /** Until when the circuit breaker leaves a destination alone, or null: for health and the admin view. */
    Instant restingUntil(long destinationId) {
        return breaker.openUntil(destinationId, clock.instant());
    }
}
