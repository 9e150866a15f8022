package io.relaypacs.forward;

import io.relaypacs.storage.BlobStreams;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One HTTP peer (a DICOMweb or Orthanc server): a pooled keep-alive HTTP/1.1 client, its credentials and, for a
 * PACS behind a private CA, its own trust store. Requests never ask for {@code Expect: 100-continue} (Orthanc does
 * not answer it and every request would wait a second).
 */
final class HttpPeer {
    private final String base;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;

    /** A request body streamed from its parts as the request goes out, with its length known beforehand. */
    static HttpRequest.BodyPublisher streamed(List<BlobStreams.Part> parts, long length) {
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> BlobStreams.sequence(parts)), length);
    }

    /**
     * @param trustStore a PKCS#12/JKS file, or PEM certificates ({@code .pem}, {@code .crt}); null: the JDK's CAs
     */
    HttpPeer(String baseUrl, AuthKind auth, String username, String secret, Path trustStore, String trustStorePassword,
             Duration timeout) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = switch (auth == null ? AuthKind.NONE : auth) {
            case NONE -> null;
            case BASIC -> "Basic " + Base64.getEncoder().encodeToString(
                    (username + ":" + (secret == null ? "" : secret)).getBytes(StandardCharsets.UTF_8));
            case BEARER -> "Bearer " + secret;
        };
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout);
        if (trustStore != null) {
            builder.sslContext(sslContext(trustStore, trustStorePassword));
        }
        this.http = builder.build();
    }

    URI uri(String path) {
        return URI.create(base + path);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(timeout);
    }

    /** Sends one request with the credentials, if any. */
    HttpResponse<String> exchange(HttpRequest.Builder request) throws IOException {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while talking to the PACS", e);
        }
    }

    String host() {
        URI uri = URI.create(base);
        return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }

    /** A plain sentence for a refusal of RelayPACS's credentials, or null when the status is not one. */
    static String credentialsProblem(int status) {
        return status == 401 || status == 403 ? "The PACS refused RelayPACS's credentials (HTTP " + status
                + "). An administrator must fix the destination's user name and password or token." : null;
    }

    private static SSLContext sslContext(Path file, String password) {
        try {
            KeyStore store;
            String name = file.getFileName().toString().toLowerCase();
            if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer")) {
                store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                try (InputStream in = Files.newInputStream(file)) {
                    int n = 0;
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("ca-" + n++, c);
                    }
                }
            } else {
                store = KeyStore.getInstance(file.toFile(), password == null ? null : password.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("The trust store " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
