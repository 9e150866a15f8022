package io.relaypacs.e2e;

import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.AppProcess;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The server is killed (SIGKILL) mid-upload; after a restart the upload resumes from its missing chunks only. */
class UploadRestartIT {
    static final int CHUNK = 256 * 1024;

    @RegisterExtension
    static final OrthancProcess orthanc = new OrthancProcess();

    @Test
    void anUploadSurvivesAKilledServerAndContinuesFromTheMissingChunks() throws Exception {
        Path dataDir = TempDirs.create("relaypacs-restart");
        byte[] file = Files.readAllBytes(SyntheticDicom.create(TempDirs.create("synthetic"), 1_400_000));
        Map<String, String> env = Map.of("RELAYPACS_ADMIN_PASSWORD", "restart-admin-password",
                "RELAYPACS_PACS_DICOMWEB_URL", orthanc.dicomWebUrl());

        String token;
        String id;
        int total;
        try (AppProcess first = new AppProcess(dataDir).start(env)) {
            ApiClient api = new ApiClient(first.baseUrl());
            assertThat(api.login("admin", "restart-admin-password").status()).isEqualTo(200);
            token = api.token();
            ApiClient.Response init = api.init("series.dcm", file.length, ApiClient.sha256Hex(file), CHUNK);
            id = init.json().path("upload_id").asString();
            total = init.json().path("total_chunks").asInt();
            for (int i = 0; i < total; i += 2) {
                assertThat(api.putChunk(id, i, chunk(file, i)).status()).isEqualTo(201);
            }
            first.kill();
        }

        try (AppProcess second = new AppProcess(dataDir).start(env)) {
            ApiClient api = new ApiClient(second.baseUrl());
            api.useToken(token); // the signing key is kept in the data directory: tokens outlive a restart
            ApiClient.Response afterRestart = api.status(id);
            assertThat(afterRestart.status()).as(afterRestart.body()).isEqualTo(200);
            JsonNode status = afterRestart.json();
            assertThat(status.path("state").asString()).isEqualTo("RECEIVING");
            assertThat(status.path("received_chunks").asInt()).isEqualTo((total + 1) / 2);
            int resent = 0;
            for (JsonNode missing : status.path("missing_chunks")) {
                assertThat(missing.asInt() % 2).as("only chunks never sent are missing").isEqualTo(1);
                assertThat(api.putChunk(id, missing.asInt(), chunk(file, missing.asInt())).status()).isEqualTo(201);
                resent++;
            }
            assertThat(resent).isEqualTo(total / 2);
            assertThat(api.complete(id).status()).isEqualTo(202);
            JsonNode done = api.awaitFinal(id, Duration.ofSeconds(60));
            assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("DONE");
            String orthancId = orthanc.findInstance(done.path("instances").path(0).path("sop_instance_uid").asString());
            assertThat(orthanc.getBytes("/instances/" + orthancId + "/file")).isEqualTo(file);
        }
    }

    static byte[] chunk(byte[] file, int index) {
        return Arrays.copyOfRange(file, index * CHUNK, Math.min(file.length, (index + 1) * CHUNK));
    }
}
