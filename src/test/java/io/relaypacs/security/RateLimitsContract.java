package io.relaypacs.security;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A limit holds for its key whichever instance counts it; other keys and other limits are untouched. */
abstract class RateLimitsContract {
    @Autowired
    DataSource dataSource;

    RateLimits instance() {
        return new RateLimits(new RateLimitProperties(3, 5, 0, 0, Duration.ofHours(1), 0), dataSource);
    }

    /** The instances a balancer spreads requests over (one, where the database is one instance's own). */
    abstract RateLimits[] instances();

    @Test
    void aUsersSignInsAreLimitedAcrossInstancesAndSayHowLongToWait() {
        RateLimits[] all = instances();
        String user = "user-" + UUID.randomUUID();
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThat(all[attempt % all.length].take(RateLimits.Limit.LOGIN_PER_USER, user)).as("attempt %d", attempt + 1)
                    .isEmpty();
        }
        for (RateLimits instance : all) {
            Optional<Long> wait = instance.take(RateLimits.Limit.LOGIN_PER_USER, user);
            assertThat(wait).as("the fourth attempt, whichever instance takes it").isPresent();
            assertThat(wait.get()).isBetween(1L, 3600L);
        }
        assertThat(all[0].take(RateLimits.Limit.LOGIN_PER_USER, "other-" + user)).as("another user").isEmpty();
        assertThat(all[0].take(RateLimits.Limit.LOGIN_PER_ADDRESS, user)).as("another limit").isEmpty();
    }

    @Test
    void keysDoNotDependOnCaseAndAbsurdlyLongOnesStillCount() {
        RateLimits[] all = instances();
        String user = "Name-" + UUID.randomUUID() + "x".repeat(1000);
        for (int attempt = 0; attempt < 3; attempt++) {
            all[attempt % all.length].take(RateLimits.Limit.LOGIN_PER_USER, attempt % 2 == 0 ? user : user.toUpperCase());
        }
        assertThat(all[all.length - 1].take(RateLimits.Limit.LOGIN_PER_USER, user.toLowerCase())).isPresent();
    }

    @Test
    void forgettingIdleBucketsKeepsThoseInUse() {
        RateLimits[] all = instances();
        String user = "busy-" + UUID.randomUUID();
        for (int attempt = 0; attempt < 3; attempt++) {
            all[0].take(RateLimits.Limit.LOGIN_PER_USER, user);
        }
        for (RateLimits instance : all) {
            instance.forgetIdle();
        }
        assertThat(all[all.length - 1].take(RateLimits.Limit.LOGIN_PER_USER, user)).as("still limited").isPresent();
    }
}
