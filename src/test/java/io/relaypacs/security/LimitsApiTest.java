package io.relaypacs.security;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.TestApp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Rate limits (429 with Retry-After), the batch size cap and the body size limit, over HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LimitsApiTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApp.properties(registry, "relaypacs-limits");
        registry.add("relaypacs.security.rate-limits.logins-per-user", () -> "3");
        registry.add("relaypacs.security.rate-limits.logins-per-address", () -> "100");
        registry.add("relaypacs.security.rate-limits.uploads-per-user", () -> "4");
        registry.add("relaypacs.security.rate-limits.period", () -> "1h");
        registry.add("relaypacs.upload.max-batch-size", () -> "1MB");
        registry.add("relaypacs.metrics.token", () -> "scrape-token-for-tests");
    }

    @LocalServerPort
    int port;
    @Autowired
    UserService users;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    String base() {
        return "http://127.0.0.1:" + port;
    }

    HttpResponse<String> login(String user, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/api/auth/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void repeatedSignInsForOneUserAreSlowedDownWithRetryAfterWhileOthersSignIn() throws Exception {
        users.createUser("guessed", "right-password-1", Role.UPLOADER, "Limits Clinic");
        users.createUser("bystander", "right-password-2", Role.UPLOADER, "Limits Clinic");
        for (int i = 0; i < 3; i++) {
            assertThat(login("guessed", "wrong-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> limited = login("guessed", "right-password-1");
        assertThat(limited.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 3600L);
        assertThat(limited.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(limited.body()).contains("Too many sign-in attempts for this user name. Wait " + retryAfter + " seconds");
        assertThat(login("bystander", "right-password-2").statusCode()).isEqualTo(200);
    }

    @Test
    void theSignInFormIsHeldToTheSameLimit() throws Exception {
        users.createUser("formuser", "right-password-3", Role.UPLOADER, "Limits Clinic");
        HttpResponse<String> last = null;
        for (int i = 0; i < 4; i++) {
            last = http.send(HttpRequest.newBuilder(URI.create(base() + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=formuser&password=wrong")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        assertThat(last.statusCode()).isEqualTo(302);
        assertThat(last.headers().firstValue("Location").orElseThrow()).contains("/login?throttled=");
    }

    @Test
    void startingTooManyUploadsIsRefusedWithRetryAfterAndABatchHasASizeCap() throws Exception {
        users.createUser("busy", "right-password-4", Role.UPLOADER, "Limits Clinic");
        ApiClient api = new ApiClient(base());
        assertThat(api.login("busy", "right-password-4").status()).isEqualTo(200);
        String batch = "{\"file_name\":\"%s\",\"size\":600000,\"batch_id\":\"study-1\"}";
        assertThat(api.postJson("/api/upload/init", batch.formatted("a.dcm")).status()).isEqualTo(201);
        ApiClient.Response tooBig = api.postJson("/api/upload/init", batch.formatted("b.dcm"));
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.json().path("detail").asString()).contains("already make 586 KB")
                .contains("limit of 1.0 MB for one sending");
        assertThat(api.init("c.dcm", 10, null, null).status()).isEqualTo(201);
        assertThat(api.init("d.dcm", 10, null, null).status()).isEqualTo(201);
        ApiClient.Response limited = api.init("e.dcm", 10, null, null);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().path("detail").asString()).startsWith("Too many uploads were started in a short time.");
        assertThat(limited.json().path("retry_after").asLong()).isPositive();
    }

    @Autowired
    AuditLog audit;

    @Test
    void aChunkedBodyOverTheCapIsRefusedWithoutReadingItAll() throws Exception {
        byte[] piece = ("{\"username\":\"" + "x".repeat(8000)).getBytes();
        Supplier<InputStream> endless = () -> new InputStream() {
            long sent;

            @Override
            public int read() {
                return sent++ < 50L << 20 ? piece[(int) (sent % piece.length)] : -1;
            }
        };
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofInputStream(endless)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("larger than the server accepts");
    }

    @Test
    void paddingOrCapitalsDoNotBuyMoreGuessesAndTheRightPasswordWaitsToo() throws Exception {
        users.createUser("padded", "right-password-5", Role.UPLOADER, "Limits Clinic");
        assertThat(login("padded", "wrong-1").statusCode()).isEqualTo(401);
        assertThat(login(" padded", "wrong-2").statusCode()).isEqualTo(401);
        assertThat(login("PADDED ", "wrong-3").statusCode()).isEqualTo(401);
        assertThat(login(" Padded ", "right-password-5").statusCode()).isEqualTo(429);
    }

    @Test
    void aNameLongerThanAnyUsersIsRefusedBeforeItIsKeptAnywhere() throws Exception {
        String longName = "n".repeat(UserNames.MAX_LENGTH + 1);
        HttpResponse<String> r = login(longName, "whatever");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("at most 100 characters");
        assertThat(audit.search(AuditEventType.LOGIN_FAILED, longName, null, 10)).isEmpty();
    }

    @Test
    void aFailedSignInUnderANameNoUserHasIsAuditedWithoutTheName() throws Exception {
        String typed = "correct-horse-battery-" + System.nanoTime(); // perhaps a password typed in the wrong box
        assertThat(login(typed, "x").statusCode()).isEqualTo(401);
        assertThat(audit.search(AuditEventType.LOGIN_FAILED, typed, null, 10)).isEmpty();
        assertThat(audit.search(AuditEventType.LOGIN_FAILED, UserNames.UNKNOWN, null, 10)).isNotEmpty();
        users.createUser("known-name", "right-password-6", Role.UPLOADER, "Limits Clinic");
        assertThat(login(" Known-Name", "wrong").statusCode()).isEqualTo(401);
        assertThat(audit.search(AuditEventType.LOGIN_FAILED, "known-name", null, 10)).isNotEmpty();
    }

    @Test
    void metricsAreReadOnlyWithTheMetricsToken() throws Exception {
        HttpRequest.Builder scrape = HttpRequest.newBuilder(URI.create(base() + "/actuator/prometheus"));
        assertThat(http.send(scrape.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(http.send(scrape.header("Authorization", "Bearer guessed").build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(401);
        HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/prometheus"))
                .header("Authorization", "Bearer scrape-token-for-tests").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void anOversizedJsonBodyIsRefusedBeforeItIsRead() throws Exception {
        String huge = "{\"username\":\"" + "x".repeat(70_000) + "\",\"password\":\"y\"}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(huge)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("larger than the server accepts");
    }
}
