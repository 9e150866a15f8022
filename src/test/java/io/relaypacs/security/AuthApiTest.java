package io.relaypacs.security;

import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.LiveAppTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Sign-in over the API: tokens, their renewal, and refusals as problem details. */
class AuthApiTest extends LiveAppTest {

    @Test
    void aSignedInUserRenewsTheirTokenBeforeItExpires() throws Exception {
        ApiClient api = signedInUploader("Hill Clinic");
        String first = api.token();
        ApiClient.Response refreshed = api.post("/api/auth/refresh");
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.json().path("token_type").asString()).isEqualTo("Bearer");
        assertThat(refreshed.json().path("expires_in").asLong()).isEqualTo(3600);
        String second = refreshed.json().path("access_token").asString();
        assertThat(second).isNotEqualTo(first);
        api.useToken(second);
        assertThat(api.init("x.dcm", 10, null, null).status()).isEqualTo(201);
    }

    @Test
    void renewalNeedsAValidToken() throws Exception {
        ApiClient.Response r = new ApiClient(baseUrl()).post("/api/auth/refresh");
        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void refusalsAreProblemDetailsInPlainLanguage() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"nope\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(r.body()).contains("The user name or password is not correct");
    }

    @Test
    void anUploaderCannotUseAdministratorEndpoints() throws Exception {
        ApiClient.Response r = signedInUploader("Hill Clinic").get("/api/admin/anything");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("detail").asString()).contains("not allowed");
    }

    @Test
    void apiCallsFromASignedInBrowserLeaveItsSessionAlone() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        String session = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        ApiClient api = signedInUploader("Hill Clinic");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/upload/init"))
                .header("Authorization", "Bearer " + api.token()).header("Cookie", session)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"file_name\":\"a.dcm\",\"size\":10}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Set-Cookie")).as("the session id must not change").isEmpty();
    }

    @Test
    void pagesAndApiAnswersCarryTheSecurityHeadersAndTheSessionCookieIsSameSite() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        ApiClient.Response api = new ApiClient(baseUrl()).post("/api/auth/refresh");
        HttpResponse<String> apiRaw = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/auth/refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.status()).isEqualTo(401);
        for (HttpResponse<String> r : List.of(page, apiRaw)) {
            assertThat(r.headers().firstValue("Content-Security-Policy"))
                    .as("%s %s answered %d with %s", r.request().method(), r.uri(), r.statusCode(), r.headers().map())
                    .isPresent().get().asString().contains("frame-ancestors 'none'").contains("object-src 'none'");
            assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
            assertThat(r.headers().firstValue("Permissions-Policy").orElseThrow()).contains("camera=(self)");
            assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        }
        assertThat(page.headers().firstValue("Set-Cookie").orElseThrow()).contains("SameSite=Lax").contains("HttpOnly");
    }

    @Test
    void userNamesAreCaseInsensitive() throws Exception {
        users.createUser("Radiographer.One", "secret-password", Role.UPLOADER, "Hill Clinic");
        assertThat(new ApiClient(baseUrl()).login("RADIOGRAPHER.ONE", "secret-password").status()).isEqualTo(200);
    }
}
