package io.relaypacs.forward;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Delivery behaviour ({@code relaypacs.forward.*}).
 *
 * @param batchSize        most instances per request (STOW-RS) or association (C-STORE)
 * @param batchBytes       most bytes per request: a batch closes at whichever limit comes first
 * @param maxAttempts      attempts before an instance is reported as failed
 * @param firstRetry       wait before the first retry; doubles each attempt (with jitter) up to {@code maxRetryDelay}
 * @param maxRetryDelay    longest wait between two attempts
 * @param failoverAfter    failed attempts at one destination before the clinic's fallback destination is used
 * @param giveUpAfter      how long after queueing an instance is still retried: well inside the 24 h retention
 * @param breakerThreshold failed batches in a row after which a destination is left alone for a while
 * @param breakerOpen      how long it is left alone the first time (doubles while it stays down, up to 10 min)
 * @param staleAfter       a row still SENDING this long after its claim was left by a crashed worker and is released
 *                         (it is looked up on the destination before being sent again); longer than a batch can take
 * @param lanes            batches in flight at once (one is sent while another is verified and recorded)
 * @param linger           a newly queued instance waits this long for others of its study (sent by the browser as
 *                         uploads of their own) so they leave together in one STOW-RS request
 */
@ConfigurationProperties("relaypacs.forward")
public record ForwardProperties(int batchSize, long batchBytes, int maxAttempts, Duration firstRetry,
                                Duration maxRetryDelay, int failoverAfter, Duration giveUpAfter, int breakerThreshold,
                                Duration breakerOpen, Duration staleAfter, int lanes, Duration linger) {
    public ForwardProperties {
        batchSize = batchSize <= 0 ? 10 : batchSize;
        batchBytes = batchBytes <= 0 ? 64L * 1024 * 1024 : batchBytes;
        maxAttempts = maxAttempts <= 0 ? 100 : maxAttempts;
        firstRetry = firstRetry == null ? Duration.ofSeconds(2) : firstRetry;
        maxRetryDelay = maxRetryDelay == null ? Duration.ofMinutes(10) : maxRetryDelay;
        failoverAfter = failoverAfter <= 0 ? 3 : failoverAfter;
        giveUpAfter = giveUpAfter == null ? Duration.ofHours(20) : giveUpAfter;
        breakerThreshold = breakerThreshold <= 0 ? 3 : breakerThreshold;
        breakerOpen = breakerOpen == null ? Duration.ofSeconds(30) : breakerOpen;
        staleAfter = staleAfter == null ? Duration.ofMinutes(5) : staleAfter;
        lanes = lanes <= 0 ? 3 : lanes;
        linger = linger == null ? Duration.ofMillis(200) : linger;
    }
}
