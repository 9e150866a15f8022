package io.relaypacs.security;

import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a token's account is still active, looked up at most once per {@code account-check-interval} per account:
 * turning an account off stops its tokens (a kiosk's, a phone's, a shared browser's) within that time.
 */
@Component
class ActiveAccounts {
    private final AppUserRepository users;
    private final Clock clock;
    private final java.time.Duration interval;
    private final Map<Long, Checked> checked = new ConcurrentHashMap<>();

    ActiveAccounts(AppUserRepository users, Clock clock, SecurityProperties properties) {
        this.users = users;
        this.clock = clock;
        this.interval = properties.accountCheckInterval();
    }

    private record Checked(boolean active, Instant at) {
    }

    boolean isActive(long userId) {
        Instant now = clock.instant();
        Checked last = checked.get(userId);
        if (last == null || !last.at().plus(interval).isAfter(now)) {
            last = new Checked(users.findById(userId).map(AppUser::isEnabled).orElse(false), now);
            checked.put(userId, last);
        }
        return last.active();
    }
}
