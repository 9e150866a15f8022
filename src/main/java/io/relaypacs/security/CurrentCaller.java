package io.relaypacs.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.Optional;

/** Resolves the {@link Caller} of the current request, whether it came with a bearer token or a browser session. */
public final class CurrentCaller {
    private CurrentCaller() {
    }

    public static Optional<Caller> get() {
        // An API request's own principal first (as its security chain established it), then the thread's context.
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet
                && servlet.getRequest().getUserPrincipal() instanceof Authentication authentication) {
            return from(authentication);
        }
        return from(SecurityContextHolder.getContext().getAuthentication());
    }

    public static Optional<Caller> from(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return Optional.empty();
        }
        if (authentication instanceof JwtAuthenticationToken jwt) {
            return Optional.of(TokenService.callerOf(jwt.getToken()));
        }
        if (authentication.getPrincipal() instanceof RelayUserDetails details) {
            return Optional.of(details.caller());
        }
        return Optional.empty();
    }

    public static Caller require() {
        return get().orElseThrow(() -> new IllegalStateException("No signed-in user"));
    }
}
