package io.relaypacs.forward;

import io.relaypacs.security.Role;
import io.relaypacs.security.UserService;
import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.SampleDicom;
import io.relaypacs.testsupport.TestApp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A PACS that is down: the instance waits to be retried with a plain message, and is delivered once it is up. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnreachablePacsTest {
    static final OrthancProcess orthanc = new OrthancProcess();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        orthanc.prepare(); // ports chosen, nothing listening: connection refused until start()
        TestApp.properties(registry, "relaypacs-down");
        registry.add("relaypacs.pacs.dicomweb-url", () -> orthanc.dicomWebUrl());
        registry.add("relaypacs.forward.first-retry", () -> "300ms");
        registry.add("relaypacs.forward.max-retry-delay", () -> "1s");
    }

    @LocalServerPort
    int port;
    @Autowired
    UserService users;

    @Test
    void anInstanceWaitsWhileThePacsIsDownAndArrivesWhenItIsBack() throws Exception {
        users.createUser("down-uploader", "secret-password", Role.UPLOADER, "Hill Clinic");
        ApiClient api = new ApiClient("http://127.0.0.1:" + port);
        api.login("down-uploader", "secret-password");
        byte[] file = Files.readAllBytes(SampleDicom.ctSmall());
        String id = api.init("CT_small.dcm", file.length, null, null).json().path("upload_id").asString();
        api.putChunk(id, 0, file);
        api.complete(id);

        JsonNode waiting = null;
        for (int i = 0; i < 100; i++) {
            waiting = api.status(id).json();
            if (waiting.path("instances").path(0).path("state").asString().equals("RETRY_WAIT")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(waiting.path("state").asString()).isEqualTo("FORWARDING");
        assertThat(waiting.path("instances").path(0).path("state").asString()).isEqualTo("RETRY_WAIT");
        assertThat(waiting.path("instances").path(0).path("message").asString()).contains("could not be reached");

        orthanc.start();
        try {
            JsonNode done = api.awaitFinal(id, Duration.ofSeconds(30));
            assertThat(done.path("state").asString()).isEqualTo("DONE");
            String uid = done.path("instances").path(0).path("sop_instance_uid").asString();
            assertThat(orthanc.getBytes("/instances/" + orthanc.findInstance(uid) + "/file")).isEqualTo(file);
        } finally {
            orthanc.stop();
        }
    }
}
