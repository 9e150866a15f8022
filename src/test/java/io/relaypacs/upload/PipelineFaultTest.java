package io.relaypacs.upload;

import io.relaypacs.ingest.IngestService;
import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.LiveAppTest;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doCallRealMethod;
import static org.mockito.Mockito.doThrow;

/**
 * Faults inside the pipeline, injected into one file's processing (a spy on the real ingest): that file ends with a
 * reason, the others of the same batch are delivered to a real Orthanc; storage trouble is retried and counted; work
 * a crash left behind (a stale claim, a missed outcome) is finished by the safety net.
 */
class PipelineFaultTest extends LiveAppTest {
    @MockitoSpyBean
    IngestService ingest;
    @Autowired
    UploadPipeline pipeline;
    @Autowired
    JdbcTemplate jdbc;

    ApiClient api;
    final String study = SyntheticDicom.newUid();

    @BeforeEach
    void signIn() throws Exception {
        api = signedInUploader("Fault Clinic");
    }

    byte[] instance() throws Exception {
        Path dir = TempDirs.create("fault");
        return Files.readAllBytes(SyntheticDicom.create(dir, 40_000, study, SyntheticDicom.newUid(), "FAULT^TEST", "F-1"));
    }

    String start(String name, byte[] file) throws Exception {
        ApiClient.Response init = api.init(name, file.length, ApiClient.sha256Hex(file), null);
        String id = init.json().path("upload_id").asString();
        assertThat(api.putChunk(id, 0, file).status()).isEqualTo(201);
        return id;
    }

    Map<String, JsonNode> sendAll(Map<String, byte[]> files) throws Exception {
        Map<String, String> ids = new LinkedHashMap<>();
        for (var f : files.entrySet()) {
            ids.put(f.getKey(), start(f.getKey(), f.getValue()));
        }
        for (String id : ids.values()) {
            assertThat(api.complete(id).status()).isEqualTo(202);
        }
        Map<String, JsonNode> finals = new LinkedHashMap<>();
        for (var id : ids.entrySet()) {
            finals.put(id.getKey(), api.awaitFinal(id.getValue(), Duration.ofSeconds(30)));
        }
        return finals;
    }

    @Test
    void anExceptionOrAnErrorInOneFileEndsThatFileAndTheRestIsDelivered() throws Exception {
        doThrow(new IllegalStateException("injected")).when(ingest).ingest(anyString(), eq("poison.dcm"), anyLong(), any(), anyBoolean());
        doThrow(new StackOverflowError()).when(ingest).ingest(anyString(), eq("overflow.dcm"), anyLong(), any(), anyBoolean());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("one.dcm", instance());
        files.put("poison.dcm", instance());
        files.put("two.dcm", instance());
        files.put("overflow.dcm", instance());
        files.put("three.dcm", instance());

        Map<String, JsonNode> finals = sendAll(files);

        for (String name : List.of("one.dcm", "two.dcm", "three.dcm")) {
            JsonNode status = finals.get(name);
            assertThat(status.path("state").asString()).as(status.toString()).isEqualTo("DONE");
            assertThat(ORTHANC.findInstance(status.path("instances").path(0).path("sop_instance_uid").asString())).isNotNull();
        }
        assertThat(finals.get("poison.dcm").path("state").asString()).isEqualTo("FAILED");
        assertThat(finals.get("poison.dcm").path("error").asString())
                .contains("could not process this file (IllegalStateException)");
        assertThat(finals.get("overflow.dcm").path("state").asString()).isEqualTo("FAILED");
        assertThat(finals.get("overflow.dcm").path("error").asString()).contains("StackOverflowError");
    }

    @Test
    void storageTroubleIsRetriedWithItsAttemptsCountedAndThenGivenUpPlainly() throws Exception {
        doThrow(new IOException("disk unplugged")).doCallRealMethod()
                .when(ingest).ingest(anyString(), eq("flaky.dcm"), anyLong(), any(), anyBoolean());
        doThrow(new IOException("disk unplugged")).when(ingest).ingest(anyString(), eq("lost.dcm"), anyLong(), any(), anyBoolean());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("flaky.dcm", instance());
        files.put("lost.dcm", instance());

        Map<String, JsonNode> finals = sendAll(files);

        assertThat(finals.get("flaky.dcm").path("state").asString()).as(finals.get("flaky.dcm").toString()).isEqualTo("DONE");
        assertThat(attempts(finals.get("flaky.dcm"))).isEqualTo(1);
        JsonNode lost = finals.get("lost.dcm");
        assertThat(lost.path("state").asString()).isEqualTo("FAILED");
        assertThat(lost.path("error").asString()).contains("could not read this file back from its storage (disk unplugged)");
        assertThat(attempts(lost)).as("max-attempts is 3 in these tests").isEqualTo(3);
    }

    @Test
    void aClaimLeftByACrashedInstanceIsReleasedCountedAndProcessed() throws Exception {
        String id = start("left.dcm", instance());
        // As a killed instance leaves it: PROCESSING for longer than stale-after, chunks still in place.
        jdbc.update("UPDATE upload SET state = 'PROCESSING', updated_at = ? WHERE id = ?",
                Timestamp.from(Instant.now().minus(Duration.ofHours(1))), UUID.fromString(id));
        pipeline.safetyNet();
        JsonNode status = api.awaitFinal(id, Duration.ofSeconds(30));
        assertThat(status.path("state").asString()).as(status.toString()).isEqualTo("DONE");
        assertThat(attempts(status)).isEqualTo(1);
    }

    @Test
    void anUploadWhoseLastOutcomeWasMissedIsFinishedByTheSafetyNet() throws Exception {
        Map<String, JsonNode> finals = sendAll(Map.of("settled.dcm", instance()));
        String id = finals.get("settled.dcm").path("upload_id").asString();
        assertThat(finals.get("settled.dcm").path("state").asString()).isEqualTo("DONE");
        // As a kill between recording the PACS's answer and finishing the upload leaves it.
        jdbc.update("UPDATE upload SET state = 'FORWARDING', updated_at = ? WHERE id = ?",
                Timestamp.from(Instant.now().minus(Duration.ofMinutes(1))), UUID.fromString(id));
        assertThat(api.status(id).json().path("state").asString()).isEqualTo("FORWARDING");
        pipeline.safetyNet();
        assertThat(api.status(id).json().path("state").asString()).isEqualTo("DONE");
    }

    int attempts(JsonNode status) {
        return jdbc.queryForObject("SELECT processing_attempts FROM upload WHERE id = ?", Integer.class,
                UUID.fromString(status.path("upload_id").asString()));
    }
}
