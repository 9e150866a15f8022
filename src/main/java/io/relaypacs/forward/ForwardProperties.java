package io.relaypacs.forward;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Delivery behaviour ({@code relaypacs.forward.*}).
 *
 * @param batchSize    instances per STOW-RS request
 * @param maxAttempts  attempts before an instance is reported as failed
 * @param firstRetry   wait before the first retry; doubles each attempt (with jitter) up to {@code maxRetryDelay}
 * @param maxRetryDelay longest wait between two attempts
 */
@ConfigurationProperties("relaypacs.forward")
public record ForwardProperties(int batchSize, int maxAttempts, Duration firstRetry, Duration maxRetryDelay) {
    public ForwardProperties {
        batchSize = batchSize <= 0 ? 10 : batchSize;
        maxAttempts = maxAttempts <= 0 ? 20 : maxAttempts;
        firstRetry = firstRetry == null ? Duration.ofSeconds(2) : firstRetry;
        maxRetryDelay = maxRetryDelay == null ? Duration.ofMinutes(10) : maxRetryDelay;
    }
}
