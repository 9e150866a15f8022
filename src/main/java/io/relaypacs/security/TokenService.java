package io.relaypacs.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.relaypacs.base.DataDirectory;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Service;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Issues and checks the signed (HS256) bearer tokens of the API. */
@Service
public class TokenService {
    static final String ISSUER = "relaypacs";
    static final String CLAIM_USER_ID = "uid";
    static final String CLAIM_CLINIC = "clinic";
    static final String CLAIM_ROLES = "roles";
    static final String CLAIM_SCOPE = "scope";
    /** Everything the caller's role allows. */
    public static final String SCOPE_API = "api";
    /** Only the upload API: what a browser page or device holds, so a stolen token cannot do more than upload. */
    public static final String SCOPE_UPLOAD = "upload";

    private final JwtEncoder encoder;
    private final JwtDecoder decoder;
    private final Duration lifetime;
    private final Clock clock;

    TokenService(SecurityProperties properties, DataDirectory dataDirectory, Clock clock) {
        SecretKey key = secretKey(properties, dataDirectory);
        this.encoder = new NimbusJwtEncoder(new ImmutableSecret<>(key));
        this.decoder = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
        this.lifetime = properties.tokenLifetime();
        this.clock = clock;
    }

    /** A signed access token for everything the caller's role allows. */
    public IssuedToken issue(Caller caller) {
        return issue(caller, List.of(SCOPE_API, SCOPE_UPLOAD));
    }

    /** A signed access token that only allows uploading. */
    public IssuedToken issueForUploads(Caller caller) {
        return issue(caller, List.of(SCOPE_UPLOAD));
    }

    /** A new token like the presented one: same scopes, fresh lifetime. */
    public IssuedToken renew(Caller caller, Jwt presented) {
        return issue(caller, scopesOf(presented));
    }

    /** Scopes of a validated token; tokens without the claim predate scopes and had full access. */
    public static List<String> scopesOf(Jwt jwt) {
        String scope = jwt.getClaimAsString(CLAIM_SCOPE);
        return scope == null ? List.of(SCOPE_API, SCOPE_UPLOAD) : List.of(scope.split(" "));
    }

    private IssuedToken issue(Caller caller, List<String> scopes) {
        Instant now = clock.instant();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(ISSUER)
                .id(UUID.randomUUID().toString())
                .subject(caller.username())
                .issuedAt(now)
                .expiresAt(now.plus(lifetime))
                .claim(CLAIM_USER_ID, caller.userId())
                .claim(CLAIM_CLINIC, caller.clinicId())
                .claim(CLAIM_ROLES, List.of(caller.role().name()))
                .claim(CLAIM_SCOPE, String.join(" ", scopes))
                .build();
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
        String value = encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
        return new IssuedToken(value, lifetime.toSeconds());
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

    private static SecretKey secretKey(SecurityProperties properties, DataDirectory dataDirectory) {
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
        return new SecretKeySpec(bytes, "HmacSHA256");
    }

    /** A token and its lifetime in seconds. */
    public record IssuedToken(String value, long expiresInSeconds) {
    }
}
