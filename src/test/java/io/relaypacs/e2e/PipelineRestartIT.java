package io.relaypacs.e2e;

import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.AppProcess;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import io.relaypacs.testsupport.ThrottlingProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server is killed (SIGKILL) right after a study's files were completed, while they wait to be processed or are
 * being processed. The database, read after the kill, shows uploads caught between complete and processing; after a
 * restart every file is delivered, and the bytes that reached the PACS show nothing was sent twice.
 */
class PipelineRestartIT {
    static final int FILES = 16;
    static final int CHUNK = 1 << 20;

    @RegisterExtension
    static final OrthancProcess orthanc = new OrthancProcess();

    @Test
    void uploadsKilledBetweenCompleteAndProcessingAreDeliveredOnceAfterRestart() throws Exception {
        Path dir = TempDirs.create("pipeline-restart");
        String study = SyntheticDicom.newUid();
        List<byte[]> files = new ArrayList<>();
        long instanceBytes = 0;
        for (int i = 0; i < FILES; i++) {
            byte[] bytes = Files.readAllBytes(SyntheticDicom.create(dir, 4_000_000, study, SyntheticDicom.newUid(), "KILL^TEST", "K-1"));
            files.add(bytes);
            instanceBytes += bytes.length;
        }
        try (ThrottlingProxy link = new ThrottlingProxy(URI.create(orthanc.baseUrl()).getPort(), 1L << 40)) {
            Path data = TempDirs.create("relaypacs-pipeline-restart");
            Map<String, String> env = Map.of("RELAYPACS_ADMIN_PASSWORD", "restart-admin-password",
                    "RELAYPACS_PACS_DICOMWEB_URL", link.baseUrl() + "/dicom-web",
                    "RELAYPACS_PIPELINE_STALE_AFTER", "2s",
                    "RELAYPACS_PIPELINE_SAFETY_NET_INTERVAL", "1s",
                    "RELAYPACS_FORWARD_STALE_AFTER", "3s",
                    "RELAYPACS_FORWARD_POLL_INTERVAL", "1s");
            String token;
            List<String> ids = new ArrayList<>();
            try (AppProcess first = new AppProcess(data).start(env)) {
                ApiClient api = new ApiClient(first.baseUrl());
                assertThat(api.login("admin", "restart-admin-password").status()).isEqualTo(200);
                token = api.token();
                for (int f = 0; f < FILES; f++) {
                    byte[] file = files.get(f);
                    String id = api.init("IM" + f + ".dcm", file.length, ApiClient.sha256Hex(file), CHUNK).json()
                            .path("upload_id").asString();
                    for (int i = 0; i * CHUNK < file.length; i++) {
                        assertThat(api.putChunk(id, i, Arrays.copyOfRange(file, i * CHUNK, Math.min(file.length, (i + 1) * CHUNK)))
                                .status()).isEqualTo(201);
                    }
                    ids.add(id);
                }
                for (String id : ids) {
                    assertThat(api.complete(id).status()).isEqualTo(202);
                }
                first.kill();
            }
            // what the PACS already had when the first instance died must not be sent again; what it had not, once
            long upAtKill = link.bytesUp();
            int storedAtKill = orthanc.instanceCount();
            Map<String, Integer> atKill = states(data);
            System.out.printf("pipeline restart: states at the kill %s%n", atKill);
            assertThat(atKill.getOrDefault("RECEIVED", 0) + atKill.getOrDefault("PROCESSING", 0))
                    .as("uploads caught between complete and processing").isPositive();

            try (AppProcess second = new AppProcess(data).start(env)) {
                ApiClient api = new ApiClient(second.baseUrl());
                api.useToken(token);
                for (String id : ids) {
                    JsonNode done = api.awaitFinal(id, Duration.ofSeconds(60));
                    assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("DONE");
                    assertThat(done.path("instances").path(0).path("state").asString()).isEqualTo("STORED");
                }
            }
            assertThat(orthanc.instanceCount()).isEqualTo(FILES);
            long upAfter = link.bytesUp() - upAtKill;
            long stillToSend = (FILES - storedAtKill) * (instanceBytes / FILES);
            System.out.printf("pipeline restart: %d bytes up for %d bytes of instances (%.3f); after the restart %d bytes for"
                            + " the %d instances the PACS did not have yet (%d bytes)%n", link.bytesUp(), instanceBytes,
                    link.bytesUp() / (double) instanceBytes, upAfter, FILES - storedAtKill, stillToSend);
            // a request cut by the kill is sent again whole: that is not a second delivery, so only after the restart counts
            assertThat(upAfter).as("after the restart, only what the PACS did not have, once, plus request overhead")
                    .isLessThan(stillToSend + stillToSend / 20 + 64 * 1024);
        }
    }

    /** Upload states as the killed server left them in its H2 database. */
    static Map<String, Integer> states(Path data) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("db/relaypacs"), "sa", "");
             ResultSet rows = db.createStatement().executeQuery("SELECT state, COUNT(*) FROM upload GROUP BY state")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getInt(2));
            }
        }
        return counts;
    }
}
