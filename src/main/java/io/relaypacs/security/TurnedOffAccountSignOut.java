package io.relaypacs.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Ends the app session of an account an administrator turned off, at its next request (within
 * {@code account-check-interval}): the request goes on as a signed-out one, so the user lands on the sign-in page.
 */
public class TurnedOffAccountSignOut extends OncePerRequestFilter {
    private final ActiveAccounts accounts;

    public TurnedOffAccountSignOut(ActiveAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // the request's principal: this filter runs after the security context is known to the request
        if (request.getUserPrincipal() instanceof Authentication signedIn && signedIn.getPrincipal() instanceof RelayUserDetails user
                && !accounts.isActive(user.caller().userId())) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            SecurityContextHolder.clearContext();
        }
        chain.doFilter(request, response);
    }
}
