package io.relaypacs.e2e;

import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.AppProcess;
import io.relaypacs.testsupport.Dcmtk;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.SelfSignedCertificate;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged app on HTTPS with a Spring Boot SSL bundle as the README documents it (TLS 1.3 only, a generated
 * certificate): a study is uploaded through it and reaches Orthanc; responses carry HSTS.
 */
class HttpsIT {
    @RegisterExtension
    static final OrthancProcess orthanc = new OrthancProcess();

    @Test
    void anUploadOverHttpsReachesThePacsAndTheServerSpeaksOnlyTls13WithHsts() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(TempDirs.create("app-tls"));
        Map<String, String> env = Map.of(
                "RELAYPACS_ADMIN_PASSWORD", "https-admin-password",
                "RELAYPACS_PACS_DICOMWEB_URL", orthanc.dicomWebUrl(),
                "SERVER_SSL_BUNDLE", "web",
                "SPRING_SSL_BUNDLE_JKS_WEB_OPTIONS_ENABLED_PROTOCOLS", "TLSv1.3",
                "SPRING_SSL_BUNDLE_JKS_WEB_KEYSTORE_LOCATION", "file:" + certificate.pkcs12(),
                "SPRING_SSL_BUNDLE_JKS_WEB_KEYSTORE_PASSWORD", certificate.password(),
                "SPRING_SSL_BUNDLE_JKS_WEB_KEYSTORE_TYPE", "PKCS12");
        try (AppProcess app = new AppProcess(TempDirs.create("relaypacs-https")).https(certificate.trustingContext()).start(env)) {
            assertThat(app.baseUrl()).startsWith("https://");
            HttpResponse<String> page = HttpClient.newBuilder().sslContext(certificate.trustingContext()).build()
                    .send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/login")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(page.headers().firstValue("Strict-Transport-Security").orElseThrow()).contains("max-age=");

            ApiClient api = new ApiClient(app.baseUrl(), certificate.trustingContext());
            assertThat(api.login("admin", "https-admin-password").status()).isEqualTo(200);
            Path file = SyntheticDicom.create(TempDirs.create("https-study"), 300_000);
            byte[] bytes = Files.readAllBytes(file);
            String id = api.init("over-https.dcm", bytes.length, ApiClient.sha256Hex(bytes), null).json().path("upload_id").asString();
            int chunk = 1024 * 1024;
            for (int i = 0, index = 0; i < bytes.length; i += chunk, index++) {
                byte[] part = Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk));
                assertThat(api.putChunk(id, index, part).status()).isEqualTo(201);
            }
            assertThat(api.complete(id).status()).isEqualTo(202);
            JsonNode done = api.awaitFinal(id, Duration.ofSeconds(60));
            assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("DONE");
            assertThat(orthanc.findInstance(Dcmtk.sopInstanceUid(file))).isNotNull();

            // a client that offers only TLS 1.2 gets no connection
            SSLSocket socket = (SSLSocket) certificate.trustingContext().getSocketFactory()
                    .createSocket("127.0.0.1", URI.create(app.baseUrl()).getPort());
            try (socket) {
                socket.setEnabledProtocols(new String[]{"TLSv1.2"});
                Assertions.assertThatThrownBy(socket::startHandshake)
                        .isInstanceOf(SSLException.class);
            }
        }
    }
}
