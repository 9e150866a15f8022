package io.relaypacs.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.TestApp;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a token taken from a phone, a kiosk or a shared browser can still do: renewals end with the session's maximum
 * age, tokens of another issuer or without a scope are refused, and a turned-off account's tokens stop at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TokenPolicyTest {
    static final String SECRET = "a-test-signing-secret-of-32-chars-or-more";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApp.properties(registry, "relaypacs-tokens");
        registry.add("relaypacs.security.jwt-secret", () -> SECRET);
        registry.add("relaypacs.security.max-session-age", () -> "3s");
        registry.add("relaypacs.security.account-check-interval", () -> "0s");
    }

    @LocalServerPort
    int port;
    @Autowired
    UserService users;
    @Autowired
    TokenService tokens;
    @Autowired
    ActiveAccounts accounts;

    ApiClient signedIn(String name) throws Exception {
        Caller caller = users.createUser(name, "secret-password", Role.UPLOADER, "Token Clinic");
        ApiClient api = new ApiClient("http://127.0.0.1:" + port);
        assertThat(api.login(name, "secret-password").status()).isEqualTo(200);
        assertThat(caller.username()).isEqualTo(name);
        return api;
    }

    @Test
    void aBrowserQueueIsKeptUnderAnOpaqueOwnerIdThatTheBrowserDerivesAlike() {
        // upload-queue.test.ts derives the same id from a token of user 7: sign-out wipes only that user's queue
        assertThat(TokenService.queueOwner(7)).isEqualTo("db8152d593fef81837194e56a8174a7a");
        assertThat(TokenService.queueOwner(8)).isNotEqualTo(TokenService.queueOwner(7));
    }

    @Test
    void renewalsEndWithTheSessionsMaximumAge() throws Exception {
        ApiClient api = signedIn("session-user");
        ApiClient.Response renewed = api.post("/api/auth/refresh");
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.json().path("expires_in").asLong()).as("never past the session's end").isLessThanOrEqualTo(3);
        api.useToken(renewed.json().path("access_token").asString());
        Thread.sleep(3500);
        ApiClient.Response late = api.post("/api/auth/refresh");
        assertThat(late.status()).isEqualTo(401);
    }

    @Test
    void tokensOfAnotherIssuerOrWithoutAScopeAreRefused() throws Exception {
        Caller caller = users.createUser("forged-user", "secret-password", Role.UPLOADER, "Token Clinic");
        ApiClient api = new ApiClient("http://127.0.0.1:" + port);
        api.useToken(token("someone-else", caller, "api upload"));
        assertThat(api.init("a.dcm", 10, null, null).status()).isEqualTo(401);
        api.useToken(token("relaypacs", caller, null));
        assertThat(api.init("a.dcm", 10, null, null).status()).isEqualTo(401);
        api.useToken(token("relaypacs", caller, "upload"));
        assertThat(api.init("a.dcm", 10, null, null).status()).as("the same token, properly made").isEqualTo(201);
    }

    @Test
    void aTurnedOffAccountsTokensStopWorking() throws Exception {
        ApiClient api = signedIn("leaver");
        assertThat(api.init("a.dcm", 10, null, null).status()).isEqualTo(201);
        long id = users.findCaller("leaver").orElseThrow().userId();
        users.setEnabled("admin", id, false);
        assertThat(api.init("b.dcm", 10, null, null).status()).isEqualTo(401);
        assertThat(api.post("/api/auth/refresh").status()).isEqualTo(401);
    }

    @Test
    void aTurnedOffAccountIsIssuedNoTokenAndItsAppSessionEndsAtItsNextRequest() throws Exception {
        Caller caller = users.createUser("left-open", "secret-password", Role.UPLOADER, "Token Clinic");
        var session = new MockHttpSession();
        RelayUserDetails user = new RelayUserDetails(caller, "", true);
        var signedIn = new UsernamePasswordAuthenticationToken(user, null, user.getAuthorities());
        var filter = new TurnedOffAccountSignOut(accounts);
        filter.doFilter(request(session, signedIn), new MockHttpServletResponse(), (req, res) -> { });
        assertThat(session.isInvalid()).as("an active account keeps its session").isFalse();

        users.setEnabled("admin", caller.userId(), false);
        assertThatThrownBy(() -> tokens.issueForUploads(caller)).hasMessageContaining("turned off");
        filter.doFilter(request(session, signedIn), new MockHttpServletResponse(), (req, res) -> { });
        assertThat(session.isInvalid()).isTrue();
    }

    private static MockHttpServletRequest request(HttpSession session,
                                                                            Principal principal) {
        var request = new MockHttpServletRequest("GET", "/");
        request.setSession(session);
        request.setUserPrincipal(principal);
        return request;
    }

    static String token(String issuer, Caller caller, String scope) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).subject(caller.username())
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .claim("uid", caller.userId()).claim("clinic", caller.clinicId()).claim("roles", List.of("UPLOADER"));
        if (scope != null) {
            claims.claim("scope", scope);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
