package io.relaypacs.testsupport;

import io.relaypacs.security.Role;
import io.relaypacs.security.UserService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application on a random port, forwarding to one real Orthanc shared by every subclass (so they also
 * share one Spring context). Each test signs in as a fresh uploader.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class LiveAppTest {
    protected static final OrthancProcess ORTHANC = OrthancProcess.shared();
    protected static final Path DATA_DIR = TempDirs.create("relaypacs-live");

    @DynamicPropertySource
    static void liveAppProperties(DynamicPropertyRegistry registry) {
        TestApp.properties(registry, DATA_DIR);
        registry.add("relaypacs.pacs.dicomweb-url", ORTHANC::dicomWebUrl);
        registry.add("relaypacs.forward.first-retry", () -> "200ms");
        registry.add("relaypacs.pipeline.first-retry", () -> "100ms");
        registry.add("relaypacs.pipeline.max-attempts", () -> "3");
        // Every test here signs its users in from 127.0.0.1; the per-address limit itself is LimitsApiTest's subject.
        registry.add("relaypacs.security.rate-limits.logins-per-address", () -> "1000");
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected UserService users;

    protected String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** A new uploader of {@code clinic}, signed in through the API. */
    protected ApiClient signedInUploader(String clinic) throws Exception {
        String name = "uploader-" + UUID.randomUUID().toString().substring(0, 8);
        users.createUser(name, "secret-password", Role.UPLOADER, clinic);
        ApiClient api = new ApiClient(baseUrl());
        assertThat(api.login(name, "secret-password").status()).isEqualTo(200);
        return api;
    }
}
