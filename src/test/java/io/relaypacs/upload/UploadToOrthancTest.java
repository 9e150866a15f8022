package io.relaypacs.upload;

import io.relaypacs.security.Role;
import io.relaypacs.security.UserService;
import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.SampleDicom;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The thin slice end to end: init, one chunk, complete; the instance reaches a real Orthanc byte for byte. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UploadToOrthancTest {

    @RegisterExtension
    static final OrthancProcess orthanc = new OrthancProcess();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("relaypacs.data-dir", () -> TempDirs.create("relaypacs-slice").toString());
        registry.add("relaypacs.pacs.dicomweb-url", orthanc::dicomWebUrl);
        registry.add("relaypacs.admin.password", () -> "admin-password-for-tests");
    }

    @LocalServerPort
    int port;

    @Autowired
    UserService users;

    ApiClient api;

    @BeforeEach
    void signIn() throws Exception {
        String name = "uploader-" + UUID.randomUUID().toString().substring(0, 8);
        users.createUser(name, "secret-password", Role.UPLOADER, "Hill Clinic");
        api = new ApiClient("http://127.0.0.1:" + port);
        assertThat(api.login(name, "secret-password").status()).isEqualTo(200);
    }

    @Test
    void dicomFileSentInOneChunkIsStoredInOrthancByteForByte() throws Exception {
        byte[] file = Files.readAllBytes(SampleDicom.ctSmall());

        ApiClient.Response init = api.init("CT_small.dcm", file.length, ApiClient.sha256Hex(file), null);
        assertThat(init.status()).isEqualTo(201);
        String id = init.json().path("upload_id").asString();
        assertThat(init.json().path("total_chunks").asInt()).isEqualTo(1);

        assertThat(api.putChunk(id, 0, file).status()).isEqualTo(201);
        ApiClient.Response complete = api.complete(id);
        assertThat(complete.status()).isEqualTo(202);

        JsonNode status = api.awaitFinal(id, Duration.ofSeconds(30));
        assertThat(status.path("state").asString()).as(status.toString()).isEqualTo("DONE");
        JsonNode instance = status.path("instances").path(0);
        assertThat(instance.path("state").asString()).isEqualTo("STORED");
        String sopInstanceUid = instance.path("sop_instance_uid").asString();

        String orthancId = orthanc.findInstance(sopInstanceUid);
        assertThat(orthancId).as("instance %s in Orthanc", sopInstanceUid).isNotNull();
        assertThat(orthanc.getBytes("/instances/" + orthancId + "/file")).isEqualTo(file);
    }

    @Test
    void aFileThatIsNotDicomEndsFailedWithAPlainReasonAndNothingReachesOrthanc() throws Exception {
        int before = orthanc.instanceCount();
        byte[] notDicom = "This is a shopping list, not an image.\n".repeat(20).getBytes();

        String id = api.init("list.dcm", notDicom.length, null, null).json().path("upload_id").asString();
        api.putChunk(id, 0, notDicom);
        api.complete(id);

        JsonNode status = api.awaitFinal(id, Duration.ofSeconds(30));
        assertThat(status.path("state").asString()).isEqualTo("FAILED");
        assertThat(status.path("error").asString()).contains("not a medical image");
        assertThat(status.path("instances").path(0).path("state").asString()).isEqualTo("SKIPPED");
        assertThat(status.path("instances").path(0).path("message").asString()).contains("not");
        assertThat(orthanc.instanceCount()).isEqualTo(before);
    }
}
