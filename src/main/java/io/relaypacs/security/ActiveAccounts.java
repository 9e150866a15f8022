package io.relaypacs.security;

import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a token's account is still active, looked up at most once per {@code account-check-interval} per account:
 * turning an account off stops its tokens (a kiosk's, a phone's, a shared browser's) within that time.
 */
@Component
public class ActiveAccounts {
    private final AppUserRepository users;
    private final Clock clock;
    private final Duration interval;
    private final Map<Long, Checked> checked = new ConcurrentHashMap<>();

    ActiveAccounts(AppUserRepository users, Clock clock, SecurityProperties properties) {
        this.users = users;
        this.clock = clock;
        this.interval = properties.accountCheckInterval();
    }

    private record Checked(boolean active, Instant at) {
    }

    boolean isActive(long userId) {
        Checked last = checked.get(userId);
        return last != null && last.at().plus(interval).isAfter(clock.instant()) ? last.active() : isActiveNow(userId);
    }

    /** Looked up in the database, not remembered: before anything new (a token) is handed out. */
    boolean isActiveNow(long userId) {
        Checked now = new Checked(users.findById(userId).map(AppUser::isEnabled).orElse(false), clock.instant());
        checked.put(userId, now);
        return now.active();
    }
}
