package io.relaypacs.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.relaypacs.base.ApiProblem;
import io.relaypacs.base.DataDirectory;
import io.relaypacs.base.Hashes;
import io.relaypacs.base.SharedKeys;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Service;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** Issues and checks the signed (HS256) bearer tokens of the API. */
@Service
public class TokenService {
    static final String ISSUER = "relaypacs";
    static final String CLAIM_USER_ID = "uid";
    static final String CLAIM_CLINIC = "clinic";
    static final String CLAIM_ROLES = "roles";
    static final String CLAIM_SCOPE = "scope";
    /** When the user signed in (OpenID Connect's name); renewals keep it. */
    static final String CLAIM_AUTH_TIME = "auth_time";
    /** When the session ends whatever renewals happen: sign-in plus the maximum session age, or sooner. */
    static final String CLAIM_SESSION_ENDS = "session_ends";
    /** Everything the caller's role allows. */
    public static final String SCOPE_API = "api";
    /** Only the upload API: what a browser page or device holds, so a stolen token cannot do more than upload. */
    public static final String SCOPE_UPLOAD = "upload";

    private final JwtEncoder encoder;
    private final JwtDecoder decoder;
    private final Duration lifetime;
    private final Duration maxSessionAge;
    private final Clock clock;
    private final ActiveAccounts accounts;

    TokenService(SecurityProperties properties, DataDirectory dataDirectory, Clock clock, ActiveAccounts accounts,
                 SharedKeys keys) {
        this.accounts = accounts;
        SecretKey key = secretKey(properties, dataDirectory, keys);
        this.encoder = new NimbusJwtEncoder(new ImmutableSecret<>(key));
        NimbusJwtDecoder nimbus = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
        // Only our own tokens, with a scope, of an account that is still active.
        nimbus.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(ISSUER),
                jwt -> jwt.getClaimAsString(CLAIM_SCOPE) == null || jwt.getClaim(CLAIM_USER_ID) == null
                        ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "The token has no scope.", null))
                        : OAuth2TokenValidatorResult.success(),
                jwt -> accounts.isActive(((Number) jwt.getClaim(CLAIM_USER_ID)).longValue())
                        ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "The account is turned off.", null))));
        this.decoder = nimbus;
        this.lifetime = properties.tokenLifetime();
        this.maxSessionAge = properties.maxSessionAge();
        this.clock = clock;
    }

    /** A signed access token for everything the caller's role allows, starting a session. */
    public IssuedToken issue(Caller caller) {
        Instant now = clock.instant();
        return issue(caller, List.of(SCOPE_API, SCOPE_UPLOAD), now, now.plus(maxSessionAge));
    }

    /** A signed access token that only allows uploading, starting a session. */
    public IssuedToken issueForUploads(Caller caller) {
        Instant now = clock.instant();
        return issue(caller, List.of(SCOPE_UPLOAD), now, now.plus(maxSessionAge));
    }

    /**
     * An upload-only token for a phone that redeemed a pairing code: its session ends with the maximum session age
     * or at the end of that day, whichever comes first, so a phone picked up the next day sends nothing.
     */
    public IssuedToken issueForPairing(Caller caller) {
        Instant now = clock.instant();
        Instant endOfDay = now.atZone(ZoneId.systemDefault()).toLocalDate().plusDays(1)
                .atStartOfDay(ZoneId.systemDefault()).toInstant();
        Instant ends = now.plus(maxSessionAge);
        return issue(caller, List.of(SCOPE_UPLOAD), now, endOfDay.isBefore(ends) ? endOfDay : ends);
    }

    /**
     * A new token like the presented one: same scopes and session, fresh lifetime within the session. A session
     * past its maximum age is not renewed: the user signs in again.
     */
    public IssuedToken renew(Caller caller, Jwt presented) {
        Instant issued = presented.getIssuedAt() == null ? clock.instant() : presented.getIssuedAt();
        Instant authTime = instantClaim(presented, CLAIM_AUTH_TIME, issued);
        Instant ends = instantClaim(presented, CLAIM_SESSION_ENDS, authTime.plus(maxSessionAge));
        if (!clock.instant().isBefore(ends)) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "You have been signed in for as long as RelayPACS allows "
                    + "at a time. Please sign in again.");
        }
        return issue(caller, scopesOf(presented), authTime, ends);
    }

    private static Instant instantClaim(Jwt jwt, String name, Instant otherwise) {
        Object value = jwt.getClaim(name);
        if (value instanceof Instant i) {
            return i;
        }
        return value instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : otherwise;
    }

    /** Scopes of a validated token (the decoder refuses tokens without them). */
    public static List<String> scopesOf(Jwt jwt) {
        String scope = jwt.getClaimAsString(CLAIM_SCOPE);
        return scope == null ? List.of() : List.of(scope.split(" "));
    }

    private IssuedToken issue(Caller caller, List<String> scopes, Instant authTime, Instant sessionEnds) {
        if (!accounts.isActiveNow(caller.userId())) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "This account is turned off. An administrator can turn it on again.");
        }
        Instant now = clock.instant();
        Instant expires = now.plus(lifetime).isAfter(sessionEnds) ? sessionEnds : now.plus(lifetime);
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(ISSUER)
                .id(UUID.randomUUID().toString())
                .subject(caller.username())
                .issuedAt(now)
                .expiresAt(expires)
                .claim(CLAIM_AUTH_TIME, authTime.getEpochSecond())
                .claim(CLAIM_SESSION_ENDS, sessionEnds.getEpochSecond())
                .claim(CLAIM_USER_ID, caller.userId())
                .claim(CLAIM_CLINIC, caller.clinicId())
                .claim(CLAIM_ROLES, List.of(caller.role().name()))
                .claim(CLAIM_SCOPE, String.join(" ", scopes))
                .build();
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
        String value = encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
        return new IssuedToken(value, Math.max(0, Duration.between(now, expires).toSeconds()), sessionEnds);
    }

    /**
     * The opaque id a browser's upload queue is kept under for this user ({@code ownerOf} in upload-queue.ts derives
     * the same from a token): a digest, so the device's storage holds no user name or id.
     */
    public static String queueOwner(long userId) {
        return Hashes.sha256Hex(ISSUER + ":" + userId).substring(0, 32);
    }

    JwtDecoder decoder() {
        return decoder;
    }

    /** The caller a validated token speaks for. */
    public static Caller callerOf(Jwt jwt) {
        List<String> roles = jwt.getClaimAsStringList(CLAIM_ROLES);
        Role role = roles != null && roles.contains(Role.ADMIN.name()) ? Role.ADMIN : Role.UPLOADER;
        Number uid = jwt.getClaim(CLAIM_USER_ID);
        Number clinic = jwt.getClaim(CLAIM_CLINIC);
        return new Caller(uid.longValue(), jwt.getSubject(), clinic.longValue(), role);
    }

    private static SecretKey secretKey(SecurityProperties properties, DataDirectory dataDirectory, SharedKeys keys) {
        String secret = properties.jwtSecret();
        if (secret == null || secret.isBlank()) {
            secret = dataDirectory.readOrCreateSecret("keys/jwt-hs256.key", () -> {
                byte[] bytes = new byte[32];
                new SecureRandom().nextBytes(bytes);
                return Base64.getEncoder().encodeToString(bytes);
            });
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalStateException("relaypacs.security.jwt-secret must be at least 32 characters long");
        }
        keys.verify("RELAYPACS_SECURITY_JWT_SECRET", secret);
        return new SecretKeySpec(bytes, "HmacSHA256");
    }

    /** A token and its lifetime in seconds. */
    public record IssuedToken(String value, long expiresInSeconds, Instant sessionEnds) {
    }
}
