package io.relaypacs.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Sign-in settings ({@code relaypacs.security.*} and {@code relaypacs.admin.*} for the first administrator).
 *
 * @param jwtSecret      HMAC key for API tokens (at least 32 bytes); generated into the data directory when absent.
 *                       Several instances behind one load balancer must share it.
 * @param tokenLifetime  how long an API token is valid
 * @param requireAdminPassword refuse to start without {@code RELAYPACS_ADMIN_PASSWORD} (the production profile sets it)
 * @param maxSessionAge  how long after signing in tokens can still be renewed; then the user signs in again
 * @param accountCheckInterval how long a token's account is taken as still active before it is looked up again
 *                       (a turned-off account's tokens stop working within this)
 */
@ConfigurationProperties("relaypacs.security")
public record SecurityProperties(String jwtSecret, Duration tokenLifetime, boolean requireAdminPassword,
                                 Duration maxSessionAge, Duration accountCheckInterval) {
    public SecurityProperties {
        tokenLifetime = tokenLifetime == null ? Duration.ofHours(1) : tokenLifetime;
        maxSessionAge = maxSessionAge == null ? Duration.ofHours(12) : maxSessionAge;
        accountCheckInterval = accountCheckInterval == null ? Duration.ofSeconds(30) : accountCheckInterval;
    }
}
