package io.relaypacs.security;

import io.relaypacs.base.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Exchanges credentials for an API token, and a valid token for a fresh one. */
@RestController
@RequestMapping("/api/auth")
class AuthController {
    private final UserService users;
    private final TokenService tokens;

    AuthController(UserService users, TokenService tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    record LoginRequest(String username, String password) {
    }

    record TokenResponse(String accessToken, String tokenType, long expiresIn) {
        static TokenResponse of(TokenService.IssuedToken token) {
            return new TokenResponse(token.value(), "Bearer", token.expiresInSeconds());
        }
    }

    @PostMapping("/login")
    TokenResponse login(@RequestBody LoginRequest request) {
        Caller caller = users.authenticate(request.username(), request.password())
                .orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED,
                        "The user name or password is not correct. Check them and try again."));
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
