package io.relaypacs.forward;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * What an outbox row says after one delivery attempt: stored, failed, sent to the fallback, or retried after a
 * backoff. Pure rules over the row, with no database or network, so each case is tested on its own.
 */
final class Settlement {

    /** Where a row goes when its destination cannot take it. */
    interface Fallbacks {
        /** The row's fallback destination, or null when it has none (or has already failed over). */
        Long fallbackFor(OutboxInstance row);

        String nameOf(Long destinationId);
    }

    private final ForwardProperties properties;
    private final Fallbacks fallbacks;
    private final RandomGenerator random;

    Settlement(ForwardProperties properties, Fallbacks fallbacks, RandomGenerator random) {
        this.properties = properties;
        this.fallbacks = fallbacks;
        this.random = random;
    }

    /**
     * Applies the destination's answer for this row. {@code sent}: the instance was sent in this attempt (not found
     * already there); {@code confirmed}: a look-up after sending found it on the destination.
     */
    void settle(OutboxInstance row, Destination.Delivery d, boolean sent, boolean confirmed, Instant now) {
        if (sent) {
            row.countAttempt();
        }
        switch (d.outcome()) {
            case ALREADY_STORED -> row.update(InstanceState.STORED, d.message(), now);
            case STORED -> {
                if (confirmed) {
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
                Long fallback = fallbacks.fallbackFor(row);
                if (fallback != null) {
                    row.failOver(fallback, d.message() + " Sending it to " + fallbacks.nameOf(fallback) + ".", now);
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
            Long fallback = fallbacks.fallbackFor(row);
            if (fallback != null) {
                row.failOver(fallback, fallbacks.nameOf(row.getDestinationId()) + " failed " + row.getDestinationAttempts()
                        + " times (" + message + ") Sending to " + fallbacks.nameOf(fallback) + " instead.", now);
                return;
            }
        }
        row.retryAt(now.plus(backoff(row.getAttempts())), message, now);
    }

    /**
     * Exponential backoff with equal jitter, capped: half the delay is fixed, half random, so retries of many rows
     * spread out but none comes back sooner than half its step.
     */
    Duration backoff(int attempts) {
        long base = properties.firstRetry().toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
        long capped = Math.min(base, properties.maxRetryDelay().toMillis());
        return Duration.ofMillis(capped / 2 + random.nextLong(capped / 2 + 1));
    }
}
