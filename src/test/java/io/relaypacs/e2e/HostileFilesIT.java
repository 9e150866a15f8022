package io.relaypacs.e2e;

import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.AppProcess;
import io.relaypacs.testsupport.HostileFiles;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.SampleFiles;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile files sent in one batch with a good study to the packaged server limited to 256 MiB of heap: each ends
 * within 10 s with its plain reason, the good study is delivered, and the server never runs out of memory or stack.
 */
class HostileFilesIT {
    @RegisterExtension
    static final OrthancProcess orthanc = new OrthancProcess();

    static final String PATIENT = ", \"batch_id\": \"hostile-1\", \"patient\": {\"name\": \"DOE^JANE\", \"id\": \"H-1\"}";

    @Test
    void eachHostileFileEndsWithItsReasonWithinSecondsAndTheGoodStudyIsDelivered() throws Exception {
        Path dir = TempDirs.create("hostile-study");
        String study = SyntheticDicom.newUid();
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            files.put("good-" + i + ".dcm", Files.readAllBytes(SyntheticDicom.create(dir, 200_000, study,
                    SyntheticDicom.newUid(), "HOSTILE^TEST", "H-1")));
        }
        byte[] good = files.get("good-0.dcm");
        String longPath = "CD/" + "very-long-folder-name/".repeat(40) + "IM0001.dcm";
        files.put("long-names.zip", SampleFiles.zip(Map.of(longPath, Files.readAllBytes(SyntheticDicom.create(dir,
                20_000, study, SyntheticDicom.newUid(), "HOSTILE^TEST", "H-1")))));
        files.put("cut-frame.jpg", HostileFiles.truncatedJpegHeader());
        files.put("cut-data.jpg", HostileFiles.cutShortJpeg());
        files.put("huge.png", HostileFiles.pngDeclaring(30000, 30000));
        files.put("deep.dcm", HostileFiles.nestedSequences(5000, false, true));
        files.put("deep-implicit.dcm", HostileFiles.nestedSequences(50000, true, false));
        files.put("big-header.dcm", HostileFiles.hugeHeaderValue(200L << 20));
        byte[] stored = new byte[24 << 20];
        System.arraycopy(good, 0, stored, 0, good.length);
        files.put("stored.zip", HostileFiles.zipWithStoredEntryAndDataDescriptor("IM0001.dcm", stored));

        Path data = TempDirs.create("relaypacs-hostile");
        try (AppProcess app = new AppProcess(data, List.of("-Xmx256m")).start(Map.of(
                "RELAYPACS_ADMIN_PASSWORD", "hostile-admin-password",
                "RELAYPACS_PACS_DICOMWEB_URL", orthanc.dicomWebUrl()))) {
            ApiClient api = new ApiClient(app.baseUrl());
            assertThat(api.login("admin", "hostile-admin-password").status()).isEqualTo(200);
            Map<String, String> ids = new LinkedHashMap<>();
            for (var f : files.entrySet()) {
                ApiClient.Response init = api.postJson("/api/upload/init", "{\"file_name\": \"" + f.getKey()
                        + "\", \"size\": " + f.getValue().length + ", \"chunk_size\": 16777216" + PATIENT + "}");
                assertThat(init.status()).as(init.body()).isEqualTo(201);
                String id = init.json().path("upload_id").asString();
                int chunk = 16 << 20;
                for (int i = 0; i * chunk < f.getValue().length; i++) {
                    byte[] part = Arrays.copyOfRange(f.getValue(), i * chunk, Math.min(f.getValue().length, (i + 1) * chunk));
                    assertThat(api.putChunk(id, i, part).status()).isEqualTo(201);
                }
                ids.put(f.getKey(), id);
            }
            ids.values().forEach(id -> {
                try {
                    assertThat(api.complete(id).status()).isEqualTo(202);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            long completed = System.nanoTime();
            Map<String, JsonNode> finals = new LinkedHashMap<>();
            for (var id : ids.entrySet()) {
                finals.put(id.getKey(), api.awaitFinal(id.getValue(), Duration.ofSeconds(10)));
            }
            System.out.printf("hostile batch: %d files ended %d ms after they were completed%n", files.size(),
                    (System.nanoTime() - completed) / 1_000_000);

            for (int i = 0; i < 3; i++) {
                JsonNode s = finals.get("good-" + i + ".dcm");
                assertThat(s.path("state").asString()).as(s.toString()).isEqualTo("DONE");
                assertThat(orthanc.findInstance(s.path("instances").path(0).path("sop_instance_uid").asString())).isNotNull();
            }
            JsonNode longNames = finals.get("long-names.zip");
            assertThat(longNames.path("state").asString()).as(longNames.toString()).isEqualTo("DONE");
            assertThat(longNames.path("instances").path(0).path("source_name").asString()).hasSize(500).endsWith("…");

            assertSkipped(finals, "cut-frame.jpg", "This photo is cut short");
            assertSkipped(finals, "cut-data.jpg", "This photo is cut short");
            assertSkipped(finals, "huge.png", "This image is larger than RelayPACS accepts: 30000 x 30000 pixels");
            assertSkipped(finals, "deep.dcm", "nests sequences deeper than DICOM files do");
            assertSkipped(finals, "deep-implicit.dcm", "nests");
            assertSkipped(finals, "big-header.dcm", "");
            assertSkipped(finals, "stored.zip", "Make the ZIP again with compression on");

            String log = Files.readString(data.resolve("app.log"));
            assertThat(log).doesNotContain("OutOfMemoryError").doesNotContain("StackOverflowError");
        }
    }

    static void assertSkipped(Map<String, JsonNode> finals, String name, String reason) {
        JsonNode s = finals.get(name);
        assertThat(s.path("state").asString()).as(name + ": " + s).isEqualTo("FAILED");
        assertThat(s.path("instances")).as(name).hasSize(1);
        assertThat(s.path("instances").path(0).path("state").asString()).isEqualTo("SKIPPED");
        assertThat(s.path("instances").path(0).path("message").asString()).as(name).contains(reason);
    }
}
