package io.relaypacs.testsupport;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.net.ssl.SSLContext;

/** A small client of RelayPACS's upload API over real HTTP, as a browser or script would use it. */
public class ApiClient {
    public static final JsonMapper JSON = JsonMapper.builder().build();
    private final String base;
    private final HttpClient http;
    private String token;
    private String language;

    public ApiClient(String base) {
        this(base, null);
    }

    /** A client for an HTTPS app whose certificate {@code tls} trusts. */
    public ApiClient(String base, SSLContext tls) {
        this.base = base;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    public record Response(int status, JsonNode json, String body) {
    }

    public Response login(String username, String password) throws IOException, InterruptedException {
        Response r = postJson("/api/auth/login", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        if (r.status() == 200) {
            token = r.json().path("access_token").asString();
        }
        return r;
    }

    public void useToken(String token) {
        this.token = token;
    }

    /** Asks for answers in this language ({@code Accept-Language}), as the upload component does. */
    public void speak(String languageTag) {
        this.language = languageTag;
    }

    public String token() {
        return token;
    }

    public Response postJson(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response post(String path) throws IOException, InterruptedException {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public Response get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    public Response init(String fileName, long size, String sha256Hex, Integer chunkSize) throws IOException, InterruptedException {
        String json = "{\"file_name\":\"" + fileName + "\",\"size\":" + size
                + (sha256Hex == null ? "" : ",\"sha256\":\"" + sha256Hex + "\"")
                + (chunkSize == null ? "" : ",\"chunk_size\":" + chunkSize) + "}";
        return postJson("/api/upload/init", json);
    }

    public Response putChunk(String uploadId, int index, byte[] bytes) throws IOException, InterruptedException {
        return putChunk(uploadId, index, bytes, "sha-256=:" + Base64.getEncoder().encodeToString(sha256(bytes)) + ":");
    }

    public Response putChunk(String uploadId, int index, byte[] bytes, String digestHeader) throws IOException, InterruptedException {
        HttpRequest.Builder b = request("/api/upload/" + uploadId + "/chunk?index=" + index)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (digestHeader != null) {
            b.header("Content-Digest", digestHeader);
        }
        return send(b);
    }

    /** A chunk PUT with the headers given (e.g. Content-Encoding and Repr-Digest of a compressed chunk). */
    public Response putChunk(String uploadId, int index, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = request("/api/upload/" + uploadId + "/chunk?index=" + index)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b);
    }

    /** The last chunk of an upload, completing it in the same request ({@code complete=true}). */
    public Response putLastChunk(String uploadId, int index, byte[] bytes) throws IOException, InterruptedException {
        return send(request("/api/upload/" + uploadId + "/chunk?index=" + index + "&complete=true")
                .header("Content-Type", "application/octet-stream").header("Content-Digest", digestHeader(bytes))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    /** The RFC 9530 digest header value (sha-256=:BASE64:) of some bytes. */
    public static String digestHeader(byte[] bytes) {
        return "sha-256=:" + Base64.getEncoder().encodeToString(sha256(bytes)) + ":";
    }

    public Response status(String uploadId) throws IOException, InterruptedException {
        return get("/api/upload/" + uploadId + "/status");
    }

    public Response complete(String uploadId) throws IOException, InterruptedException {
        return post("/api/upload/" + uploadId + "/complete");
    }

    /** Polls the status until the upload reaches a final state or the timeout passes; returns the last status. */
    public JsonNode awaitFinal(String uploadId, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last;
        do {
            last = status(uploadId).json();
            String state = last.path("state").asString();
            if (state.equals("DONE") || state.equals("FAILED") || state.equals("EXPIRED")) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return last;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (language != null) {
            b.header("Accept-Language", language);
        }
        return b;
    }

    private Response send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        if (r.body() != null && !r.body().isBlank() && r.body().trim().startsWith("{")) {
            json = JSON.readTree(r.body());
        }
        return new Response(r.statusCode(), json == null ? JSON.createObjectNode() : json, r.body());
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }
}
