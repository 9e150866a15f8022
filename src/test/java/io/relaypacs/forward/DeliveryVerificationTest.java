package io.relaypacs.forward;

import io.relaypacs.security.Role;
import io.relaypacs.security.UserService;
import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import io.relaypacs.testsupport.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PACS that acknowledges an instance and then drops it (an Orthanc Lua ReceivedInstanceFilter refusing one
 * patient, while STOW-RS still answers 200): verification finds it missing, sends it once more, then reports it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeliveryVerificationTest {
    static final OrthancProcess DROPPING = dropping();
    static final Path DATA = TempDirs.create("relaypacs-verify");

    static OrthancProcess dropping() {
        try {
            Path lua = TempDirs.create("orthanc-lua").resolve("drop.lua");
            Files.writeString(lua, """
                    function ReceivedInstanceFilter(dicom, origin, info)
                      if dicom.PatientID == 'DROP-ME' then
                        return false
                      end
                      return true
                    end
                    """);
            OrthancProcess orthanc = new OrthancProcess(null, null, "\"LuaScripts\": [\"" + lua + "\"]");
            orthanc.start();
            return orthanc;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApp.properties(registry, DATA);
        registry.add("relaypacs.pacs.dicomweb-url", DROPPING::dicomWebUrl);
        registry.add("relaypacs.forward.first-retry", () -> "200ms");
    }

    @AfterAll
    static void stop() throws Exception {
        DROPPING.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    UserService users;

    JsonNode upload(ApiClient api, Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        String id = api.init(file.getFileName().toString(), bytes.length, null, null).json().path("upload_id").asString();
        assertThat(api.putChunk(id, 0, bytes).status()).isEqualTo(201);
        assertThat(api.complete(id).status()).isEqualTo(202);
        return api.awaitFinal(id, Duration.ofSeconds(60));
    }

    @Test
    void anInstanceThePacsAcknowledgesButDropsIsSentOnceMoreThenReportedWhileTheOthersAreConfirmed() throws Exception {
        users.createUser("verifier", "secret-password", Role.UPLOADER, "Verify Clinic");
        ApiClient api = new ApiClient("http://127.0.0.1:" + port);
        assertThat(api.login("verifier", "secret-password").status()).isEqualTo(200);
        Path dir = TempDirs.create("verify");
        Path kept = SyntheticDicom.create(dir, 200_000, SyntheticDicom.newUid(), SyntheticDicom.newUid(), "KEEP^ME", "KEEP-ME");
        Path dropped = SyntheticDicom.create(dir, 200_000, SyntheticDicom.newUid(), SyntheticDicom.newUid(), "DROP^ME", "DROP-ME");

        JsonNode good = upload(api, kept);
        assertThat(good.path("state").asString()).as(good.toString()).isEqualTo("DONE");
        assertThat(good.path("instances").path(0).path("state").asString()).isEqualTo("STORED");

        JsonNode bad = upload(api, dropped);
        assertThat(bad.path("state").asString()).as(bad.toString()).isEqualTo("FAILED");
        JsonNode instance = bad.path("instances").path(0);
        assertThat(instance.path("state").asString()).isEqualTo("FAILED");
        assertThat(instance.path("message").asString()).contains("acknowledged this image twice but did not keep it");
        assertThat(DROPPING.findInstance(instance.path("sop_instance_uid").asString())).isNull();
    }
}
