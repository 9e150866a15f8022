package io.relaypacs.retention;

import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import io.relaypacs.base.JobLease;
import io.relaypacs.security.Role;
import io.relaypacs.security.UserService;
import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.SampleFiles;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import io.relaypacs.testsupport.TestApp;
import io.relaypacs.upload.PairingService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retention purge, driven with explicit times: a delivered upload loses its transit copies and identifying
 * columns at once; an unfinished one is failed and deleted 24 h after it began; one app instance purges at a time.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RetentionPurgeTest {
    static final Path DATA = TempDirs.create("relaypacs-retention");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApp.properties(registry, DATA);
        registry.add("relaypacs.pacs.dicomweb-url", () -> OrthancProcess.shared().dicomWebUrl());
        registry.add("relaypacs.retention.interval", () -> "1h"); // only the test runs it
    }

    @LocalServerPort
    int port;
    @Autowired
    RetentionPurge purge;
    @Autowired
    UserService users;
    @Autowired
    AuditLog audit;
    @Autowired
    JdbcTemplate jdbc;

    ApiClient signedIn(String user) throws Exception {
        if (!users.exists(user)) {
            users.createUser(user, "secret-password", Role.UPLOADER, "Retention Clinic");
        }
        ApiClient api = new ApiClient("http://127.0.0.1:" + port);
        assertThat(api.login(user, "secret-password").status()).isEqualTo(200);
        return api;
    }

    long transitFiles() throws IOException {
        Path transit = DATA.resolve("transit");
        if (!Files.exists(transit)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(transit)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aDeliveredUploadIsPurgedAtOnceAndAnUnfinishedOneAfter24Hours() throws Exception {
        ApiClient api = signedIn("keeper");
        byte[] bytes = Files.readAllBytes(SyntheticDicom.create(TempDirs.create("retention"), 100_000));
        String delivered = api.init("PATIENT-NAME-IN-FILE.dcm", bytes.length, null, null).json().path("upload_id").asString();
        assertThat(api.putChunk(delivered, 0, bytes).status()).isEqualTo(201);
        assertThat(api.complete(delivered).status()).isEqualTo(202);
        assertThat(api.awaitFinal(delivered, Duration.ofSeconds(60)).path("state").asString()).isEqualTo("DONE");

        byte[] half = new byte[70_000];
        String unfinished = api.init("unfinished.dcm", 140_000, null, 70_000).json().path("upload_id").asString();
        assertThat(api.putChunk(unfinished, 0, half).status()).isEqualTo(201);
        assertThat(transitFiles()).isPositive();

        RetentionPurge.Result now = purge.purgeAsOf(Instant.now());
        assertThat(now.finished()).isGreaterThanOrEqualTo(1);
        assertThat(now.overdue()).isZero();
        JsonNode after = api.status(delivered).json();
        assertThat(after.path("state").asString()).isEqualTo("DONE");
        assertThat(after.path("instances").path(0).path("state").asString()).isEqualTo("STORED");
        assertThat(after.toString()).doesNotContain("PATIENT-NAME-IN-FILE");
        assertThat(jdbc.queryForObject("SELECT file_name FROM upload WHERE id = ?", String.class,
                UUID.fromString(delivered))).isNull();
        assertThat(jdbc.queryForList("SELECT source_name FROM instance WHERE upload_id = ?", String.class,
                UUID.fromString(delivered))).containsOnlyNulls();
        assertThat(api.status(unfinished).json().path("state").asString()).as("not due yet").isEqualTo("RECEIVING");

        RetentionPurge.Result dayLater = purge.purgeAsOf(Instant.now().plus(Duration.ofHours(24)).plusSeconds(60));
        assertThat(dayLater.overdue()).isEqualTo(1);
        JsonNode expired = api.status(unfinished).json();
        assertThat(expired.path("state").asString()).isEqualTo("FAILED");
        assertThat(expired.path("error").asString()).contains("not delivered within the time RelayPACS may keep images");
        assertThat(transitFiles()).as("no transit copy is left").isZero();

        List<AuditLog.Recorded> purges = audit.search(AuditEventType.PURGE, null, null, 10);
        assertThat(purges).isNotEmpty();
        assertThat(purges.getFirst().detail()).contains("\"overdue\":1").doesNotContain("unfinished.dcm");
    }

    @Autowired
    PairingService pairings;

    /** Every column that can hold a patient's details, a file's name or what identifies an image. */
    static final Map<String, List<String>> PHI_COLUMNS = Map.of(
            "upload", List.of("file_name", "batch_id", "sha256", "patient_name", "patient_id", "patient_birth_date",
                    "patient_sex", "study_description", "accession_number"),
            "instance", List.of("source_name", "storage_key", "sop_instance_uid", "study_uid", "series_uid"),
            "pairing", List.of("patient_name", "patient_id"));

    @Test
    void afterThePurgeNoColumnThatCanHoldPatientDetailsKeepsThem() throws Exception {
        ApiClient api = signedIn("phi-keeper");
        byte[] photo = SampleFiles.jpeg(false);
        ApiClient.Response init = api.postJson("/api/upload/init", "{\"file_name\": \"DOE-WOUND.jpg\", \"size\": "
                + photo.length + ", \"sha256\": \"" + ApiClient.sha256Hex(photo) + "\", \"batch_id\": \"doe-visit\", "
                + "\"patient\": {\"name\": \"DOE^PHI\", \"id\": \"PHI-1\", \"birth_date\": \"1970-01-02\", \"sex\": \"F\", "
                + "\"study_description\": \"Wound\", \"accession_number\": \"ACC-PHI\"}}");
        String photoId = init.json().path("upload_id").asString();
        assertThat(api.putChunk(photoId, 0, photo).status()).isEqualTo(201);
        byte[] zip = SampleFiles.zip(Map.of(
                "DOE-PHI/IM1.dcm", Files.readAllBytes(SyntheticDicom.create(TempDirs.create("phi"), 20_000)),
                "../DOE-PHI/outside.dcm", new byte[100]));
        String zipId = api.init("DOE-PHI.zip", zip.length, null, null).json().path("upload_id").asString();
        assertThat(api.putChunk(zipId, 0, zip).status()).isEqualTo(201);
        for (String id : List.of(photoId, zipId)) {
            assertThat(api.complete(id).status()).isEqualTo(202);
            assertThat(api.awaitFinal(id, Duration.ofSeconds(60)).path("state").asString()).isEqualTo("DONE");
        }
        pairings.create(users.findCaller("phi-keeper").orElseThrow(), "DOE^PAIRED", "PAIR-PHI"); // never used

        purge.purgeAsOf(Instant.now().plus(Duration.ofHours(25)));

        List<UUID> ids = List.of(UUID.fromString(photoId), UUID.fromString(zipId));
        for (String column : PHI_COLUMNS.get("upload")) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM upload WHERE id IN (?, ?) AND " + column + " IS NOT NULL",
                    Integer.class, ids.get(0), ids.get(1))).as("upload." + column).isZero();
        }
        for (String column : PHI_COLUMNS.get("instance")) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM instance WHERE upload_id IN (?, ?) AND " + column
                    + " IS NOT NULL", Integer.class, ids.get(0), ids.get(1))).as("instance." + column).isZero();
        }
        assertThat(jdbc.queryForList("SELECT message FROM instance WHERE upload_id IN (?, ?)", String.class, ids.get(0), ids.get(1)))
                .hasSize(3).noneMatch(m -> m.contains("DOE"));
        for (String column : PHI_COLUMNS.get("pairing")) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM pairing WHERE " + column + " IS NOT NULL", Integer.class))
                    .as("pairing." + column).isZero();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM upload_chunk WHERE upload_id IN (?, ?)", Integer.class,
                ids.get(0), ids.get(1))).isZero();
    }

    @Test
    void whileAnotherInstanceHoldsTheLeaseThisOneDoesNotPurge() throws Exception {
        JobLease other = new JobLease(jdbc);
        Instant now = Instant.now();
        Instant dayLater = now.plus(Duration.ofHours(25));
        assertThat(other.take("retention-purge", dayLater, Duration.ofMinutes(10))).isTrue();
        try {
            ApiClient api = signedIn("leaser");
            String id = api.init("waiting.dcm", 140_000, null, 70_000).json().path("upload_id").asString();
            assertThat(api.putChunk(id, 0, new byte[70_000]).status()).isEqualTo(201);
            assertThat(purge.purgeAsOf(dayLater)).isEqualTo(new RetentionPurge.Result(0, 0, 0, 0));
            assertThat(api.status(id).json().path("state").asString()).isEqualTo("RECEIVING");
        } finally {
            other.release("retention-purge");
        }
        assertThat(purge.purgeAsOf(dayLater).overdue()).isPositive();
    }
}
