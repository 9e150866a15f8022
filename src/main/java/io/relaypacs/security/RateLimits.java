package io.relaypacs.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.relaypacs.base.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-user and per-address request rates (bucket4j token buckets, one per key). On PostgreSQL the buckets live in the
 * shared database ({@code rate_limit_bucket}, a row locked per take), so N instances behind a balancer still allow the
 * limit once, not N times; on the embedded H2 database (one instance) they live in memory. Over the limit, the caller
 * is told in words and by {@code Retry-After} when to try again; nothing already accepted is affected.
 */
@Component
public class RateLimits {
    public enum Limit {
        LOGIN_PER_USER("Too many sign-in attempts for this user name."),
        LOGIN_PER_ADDRESS("Too many sign-in attempts from this device's network."),
        UPLOADS_PER_USER("Too many uploads were started in a short time."),
        CHUNKS_PER_USER("Too many pieces were sent in a short time."),
        PAIRINGS_PER_ADDRESS("Too many QR codes were tried from this device's network."),
        TABLET_SETUPS_PER_ADDRESS("Too many tablet setup links were tried from this device's network."),
        STUDY_LOOKUPS_PER_USER("Too many studies were looked up in a short time.");

        private final String sentence;

        Limit(String sentence) {
            this.sentence = sentence;
        }
    }

    /** Longer keys (an absurd user name) are cut: the bucket stays per name for any real one. */
    private static final int MAX_KEY = 300;

    private final Map<Limit, BucketConfiguration> configs = new EnumMap<>(Limit.class);
    private final Buckets buckets;

    RateLimits(RateLimitProperties properties, DataSource dataSource) {
        configs.put(Limit.LOGIN_PER_USER, config(properties.loginsPerUser(), properties.period()));
        configs.put(Limit.LOGIN_PER_ADDRESS, config(properties.loginsPerAddress(), properties.period()));
        configs.put(Limit.UPLOADS_PER_USER, config(properties.uploadsPerUser(), properties.period()));
        configs.put(Limit.CHUNKS_PER_USER, config(properties.chunksPerUser(), properties.period()));
        configs.put(Limit.PAIRINGS_PER_ADDRESS, config(properties.loginsPerAddress(), properties.period()));
        configs.put(Limit.TABLET_SETUPS_PER_ADDRESS, config(properties.loginsPerAddress(), properties.period()));
        configs.put(Limit.STUDY_LOOKUPS_PER_USER, config(properties.lookupsPerUser(), properties.period()));
        this.buckets = onPostgres(dataSource) ? new SharedBuckets(dataSource) : new LocalBuckets();
    }

    /** {@code permits} per {@code period}, refilled all at once at the end of each period (a fixed window). */
    private static BucketConfiguration config(int permits, Duration period) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(permits).refillIntervally(permits, period).build()).build();
    }

    /** Takes one request from the key's allowance; empty when allowed, else the seconds to wait. */
    public Optional<Long> take(Limit limit, String key) {
        String id = limit.name() + ":" + (key == null ? "" : key.toLowerCase(Locale.ROOT));
        ConsumptionProbe probe = buckets.take(id.length() > MAX_KEY ? id.substring(0, MAX_KEY) : id, configs.get(limit));
        if (probe.isConsumed()) {
            return Optional.empty();
        }
        return Optional.of(Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
    }

    /** Like {@link #take}, but answers an API request over the limit with 429 and {@code Retry-After}. */
    public void require(Limit limit, String key) {
        take(limit, key).ifPresent(seconds -> {
            throw new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, limit.sentence + " Wait " + seconds
                    + (seconds == 1 ? " second" : " seconds") + " and try again.").retryAfter(seconds);
        });
    }

    /** Forgets buckets that have refilled, so one per address ever seen does not pile up. */
    @Scheduled(fixedDelay = 600_000)
    void forgetIdle() {
        buckets.forgetIdle();
    }

    private static boolean onPostgres(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot tell which database holds the rate limits", e);
        }
    }

    private interface Buckets {
        ConsumptionProbe take(String key, BucketConfiguration config);

        void forgetIdle();
    }

    /** In the database every instance shares; a bucket's row expires once it would be full again. */
    private static final class SharedBuckets implements Buckets {
        private final PostgreSQLSelectForUpdateBasedProxyManager<String> proxies;

        SharedBuckets(DataSource dataSource) {
            this.proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                    .primaryKeyMapper(PrimaryKeyMapper.STRING)
                    .table("rate_limit_bucket").idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                    .build();
        }

        @Override
        public ConsumptionProbe take(String key, BucketConfiguration config) {
            return proxies.builder().build(key, () -> config).tryConsumeAndReturnRemaining(1);
        }

        @Override
        public void forgetIdle() {
            while (proxies.removeExpired(1000) == 1000) {
                // more expired rows may remain
            }
        }
    }

    /** In this instance's memory (the embedded database serves one instance only). */
    private static final class LocalBuckets implements Buckets {
        private record Local(Bucket bucket, long capacity) {
        }

        private final Map<String, Local> buckets = new ConcurrentHashMap<>();

        @Override
        public ConsumptionProbe take(String key, BucketConfiguration config) {
            Bandwidth limit = config.getBandwidths()[0];
            return buckets.computeIfAbsent(key, k -> new Local(Bucket.builder().addLimit(limit).build(), limit.getCapacity()))
                    .bucket().tryConsumeAndReturnRemaining(1);
        }

        @Override
        public void forgetIdle() {
            buckets.values().removeIf(b -> b.bucket().getAvailableTokens() >= b.capacity());
        }
    }
}
