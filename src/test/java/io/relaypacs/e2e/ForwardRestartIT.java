package io.relaypacs.e2e;

import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.AppProcess;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.SampleFiles;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import io.relaypacs.testsupport.ThrottlingProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server is killed (SIGKILL) while it forwards a study over a slow link to the PACS. After a restart every
 * instance reaches the PACS, and what was already stored is not sent again: the bytes that crossed the link are the
 * study plus at most the one batch that was in flight.
 */
class ForwardRestartIT {
    static final int INSTANCES = 30;
    static final int BATCH = 10;

    @RegisterExtension
    static final OrthancProcess orthanc = new OrthancProcess();

    @Test
    void aServerKilledMidForwardDeliversEverythingAfterRestartWithoutResendingWhatWasStored() throws Exception {
        Path dir = TempDirs.create("forward-restart");
        String study = SyntheticDicom.newUid();
        String series = SyntheticDicom.newUid();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long instanceBytes = 0;
        long largest = 0;
        for (int i = 0; i < INSTANCES; i++) {
            byte[] bytes = Files.readAllBytes(SyntheticDicom.create(dir, 300_000, study, series, "RESTART^TEST", "R-1"));
            entries.put("STUDY/IM" + i + ".dcm", bytes);
            instanceBytes += bytes.length;
            largest = Math.max(largest, bytes.length);
        }
        byte[] zip = SampleFiles.zip(entries);

        try (ThrottlingProxy link = new ThrottlingProxy(URI.create(orthanc.baseUrl()).getPort(), 1_000_000)) {
            Path data = TempDirs.create("relaypacs-forward-restart");
            Map<String, String> env = Map.of("RELAYPACS_ADMIN_PASSWORD", "restart-admin-password",
                    "RELAYPACS_PACS_DICOMWEB_URL", link.baseUrl() + "/dicom-web",
                    "RELAYPACS_FORWARD_BATCH_SIZE", String.valueOf(BATCH),
                    "RELAYPACS_FORWARD_STALE_AFTER", "3s");
            String token;
            String id;
            try (AppProcess first = new AppProcess(data).start(env)) {
                ApiClient api = new ApiClient(first.baseUrl());
                assertThat(api.login("admin", "restart-admin-password").status()).isEqualTo(200);
                token = api.token();
                id = api.init("study.zip", zip.length, ApiClient.sha256Hex(zip), zip.length).json().path("upload_id").asString();
                assertThat(api.putChunk(id, 0, zip).status()).isEqualTo(201);
                assertThat(api.complete(id).status()).isEqualTo(202);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (orthanc.instanceCount() < BATCH && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(orthanc.instanceCount()).as("stored before the kill").isBetween(BATCH, INSTANCES - 1);
                first.kill();
            }
            int storedBeforeRestart = orthanc.instanceCount();

            try (AppProcess second = new AppProcess(data).start(env)) {
                ApiClient api = new ApiClient(second.baseUrl());
                api.useToken(token);
                JsonNode done = api.awaitFinal(id, Duration.ofSeconds(120));
                assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("DONE");
                assertThat(done.path("instances")).hasSize(INSTANCES);
                for (JsonNode instance : done.path("instances")) {
                    assertThat(instance.path("state").asString()).isEqualTo("STORED");
                }
            }
            assertThat(orthanc.instanceCount()).isEqualTo(INSTANCES);
            long inFlightAllowance = BATCH * largest;
            System.out.printf("forward restart: %d stored before the kill, %d bytes up for %d bytes of instances (%.3f)%n",
                    storedBeforeRestart, link.bytesUp(), instanceBytes, link.bytesUp() / (double) instanceBytes);
            assertThat(link.bytesUp()).as("the study, the batch in flight at the kill, and request overhead")
                    .isLessThan(instanceBytes + inFlightAllowance + instanceBytes / 20);
        }
    }
}
