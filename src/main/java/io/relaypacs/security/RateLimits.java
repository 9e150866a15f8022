package io.relaypacs.security;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.relaypacs.base.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per-user and per-address request rates (resilience4j rate limiters, one per key). Over the limit, the caller is
 * told in words and by {@code Retry-After} when to try again; nothing already accepted is affected.
 */
@Component
public class RateLimits {
    public enum Limit {
        LOGIN_PER_USER("Too many sign-in attempts for this user name."),
        LOGIN_PER_ADDRESS("Too many sign-in attempts from this device's network."),
        UPLOADS_PER_USER("Too many uploads were started in a short time."),
        CHUNKS_PER_USER("Too many pieces were sent in a short time."),
        PAIRINGS_PER_ADDRESS("Too many QR codes were tried from this device's network."),
        TABLET_SETUPS_PER_ADDRESS("Too many tablet setup links were tried from this device's network.");

        private final String sentence;

        Limit(String sentence) {
            this.sentence = sentence;
        }
    }

    private final Map<Limit, RateLimiterConfig> configs = new EnumMap<>(Limit.class);
    private final RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();

    RateLimits(RateLimitProperties properties) {
        configs.put(Limit.LOGIN_PER_USER, config(properties.loginsPerUser(), properties.period()));
        configs.put(Limit.LOGIN_PER_ADDRESS, config(properties.loginsPerAddress(), properties.period()));
        configs.put(Limit.UPLOADS_PER_USER, config(properties.uploadsPerUser(), properties.period()));
        configs.put(Limit.CHUNKS_PER_USER, config(properties.chunksPerUser(), properties.period()));
        configs.put(Limit.PAIRINGS_PER_ADDRESS, config(properties.loginsPerAddress(), properties.period()));
        configs.put(Limit.TABLET_SETUPS_PER_ADDRESS, config(properties.loginsPerAddress(), properties.period()));
    }

    private static RateLimiterConfig config(int permits, Duration period) {
        return RateLimiterConfig.custom().limitForPeriod(permits).limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO).build();
    }

    /** Takes one request from the key's allowance; empty when allowed, else the seconds to wait. */
    public Optional<Long> take(Limit limit, String key) {
        RateLimiter limiter = registry.rateLimiter(limit.name() + ":" + (key == null ? "" : key.toLowerCase()),
                configs.get(limit));
        if (limiter.acquirePermission()) {
            return Optional.empty();
        }
        long nanos = limiter instanceof AtomicRateLimiter atomic
                ? atomic.getDetailedMetrics().getNanosToWait() : limiter.getRateLimiterConfig().getLimitRefreshPeriod().toNanos();
        return Optional.of(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }

    /** Like {@link #take}, but answers an API request over the limit with 429 and {@code Retry-After}. */
    public void require(Limit limit, String key) {
        take(limit, key).ifPresent(seconds -> {
            throw new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, limit.sentence + " Wait " + seconds
                    + (seconds == 1 ? " second" : " seconds") + " and try again.").retryAfter(seconds);
        });
    }

    /** Forgets limiters with nothing used, so one per address ever seen does not pile up. */
    @Scheduled(fixedDelay = 600_000)
    void forgetIdle() {
        registry.getAllRateLimiters().stream()
                .filter(l -> l.getMetrics().getAvailablePermissions() >= l.getRateLimiterConfig().getLimitForPeriod())
                .map(RateLimiter::getName).toList().forEach(registry::remove);
    }
}
