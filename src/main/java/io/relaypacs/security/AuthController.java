package io.relaypacs.security;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import io.relaypacs.base.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** Exchanges credentials for an API token, and a valid token for a fresh one. */
@RestController
@RequestMapping("/api/auth")
class AuthController {
    private final UserService users;
    private final TokenService tokens;
    private final AuditLog audit;
    private final RateLimits limits;

    AuthController(UserService users, TokenService tokens, AuditLog audit, RateLimits limits) {
        this.limits = limits;
        this.users = users;
        this.tokens = tokens;
        this.audit = audit;
    }

    record LoginRequest(String username, String password) {
    }

    record TokenResponse(String accessToken, String tokenType, long expiresIn) {
        static TokenResponse of(TokenService.IssuedToken token) {
            return new TokenResponse(token.value(), "Bearer", token.expiresInSeconds());
        }
    }

    @PostMapping("/login")
    TokenResponse login(@RequestBody LoginRequest request, HttpServletRequest http) {
        if (UserNames.tooLong(request.username())) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "A user name has at most " + UserNames.MAX_LENGTH + " characters.");
        }
        String name = UserNames.normalise(request.username());
        limits.require(RateLimits.Limit.LOGIN_PER_ADDRESS, ClientAddress.of(http));
        limits.require(RateLimits.Limit.LOGIN_PER_USER, name);
        Caller caller = users.authenticate(name, request.password()).orElse(null);
        if (caller == null) {
            audit.record(AuditEventType.LOGIN_FAILED, users.exists(name) ? name : UserNames.UNKNOWN, null, null,
                    Map.of("via", "api"));
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "The user name or password is not correct. Check them and try again.");
        }
        audit.record(AuditEventType.LOGIN, caller.username(), caller.clinicId(), null, Map.of("via", "api"));
        return TokenResponse.of(tokens.issue(caller));
    }

    /** A fresh token for a still-valid one, so long uploads outlive a single token; disabled users get none. */
    @PostMapping("/refresh")
    TokenResponse refresh(@AuthenticationPrincipal Jwt jwt) {
        Caller caller = users.findCaller(jwt.getSubject())
                .orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, "Your account is no longer active."));
        return TokenResponse.of(tokens.renew(caller, jwt));
    }
}
