package io.relaypacs.security;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Audits sign-ins to the app (form login), failed ones and sign-outs. Token-authenticated API requests are not
 * sign-ins and are left out; API logins are audited by the login endpoint.
 */
@Component
class SignInAudit {
    private final AuditLog audit;
    private final UserService users;

    SignInAudit(AuditLog audit, UserService users) {
        this.audit = audit;
        this.users = users;
    }

    @EventListener
    void signedIn(AuthenticationSuccessEvent event) {
        if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken token
                && token.getPrincipal() instanceof RelayUserDetails user) {
            audit.record(AuditEventType.LOGIN, user.getUsername(), user.caller().clinicId(), null, Map.of("via", "app"));
        }
    }

    @EventListener
    void failed(AbstractAuthenticationFailureEvent event) {
        if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken token) {
            String typed = String.valueOf(token.getPrincipal());
            audit.record(AuditEventType.LOGIN_FAILED, users.exists(typed) ? UserNames.normalise(typed) : UserNames.UNKNOWN, null, null,
                    Map.of("via", "app", "reason", event.getException().getClass().getSimpleName()));
        }
    }

    @EventListener
    void signedOut(LogoutSuccessEvent event) {
        if (event.getAuthentication() != null && event.getAuthentication().getPrincipal() instanceof RelayUserDetails user) {
            audit.record(AuditEventType.LOGOUT, user.getUsername(), user.caller().clinicId(), null, Map.of());
        }
    }
}
