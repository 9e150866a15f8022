package io.relaypacs.forward;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per destination: after {@code threshold} failed batches in a row the destination is left alone for a while
 * (doubling while it stays down, up to 10 minutes), so a dead PACS does not keep the workers busy timing out. When
 * the time is up, the next batch is the probe: a success closes the breaker.
 */
class CircuitBreaker {
    private static final Duration LONGEST = Duration.ofMinutes(10);
    private final int threshold;
    private final Duration firstOpen;
    private final Map<Long, State> states = new ConcurrentHashMap<>();

    private record State(int failures, int openings, Instant openUntil) {
    }

    CircuitBreaker(int threshold, Duration firstOpen) {
        this.threshold = threshold;
        this.firstOpen = firstOpen;
    }

    /** Until when the destination is left alone, or null when it may be used now. */
    Instant openUntil(long destination, Instant now) {
        State s = states.get(destination);
        return s == null || s.openUntil() == null || !s.openUntil().isAfter(now) ? null : s.openUntil();
    }

    void succeeded(long destination) {
        states.remove(destination);
    }

    void failed(long destination, Instant now) {
        states.compute(destination, (id, s) -> {
            int failures = (s == null ? 0 : s.failures()) + 1;
            int openings = s == null ? 0 : s.openings();
            if (failures < threshold) {
                return new State(failures, openings, null);
            }
            Duration open = firstOpen.multipliedBy(1L << Math.min(openings, 10));
            return new State(failures, openings + 1, now.plus(open.compareTo(LONGEST) > 0 ? LONGEST : open));
        });
    }
}
