package io.relaypacs.upload;

import io.relaypacs.forward.AuthKind;
import io.relaypacs.forward.DestinationForm;
import io.relaypacs.forward.DestinationKind;
import io.relaypacs.forward.DestinationService;
import io.relaypacs.security.UserService;
import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.LiveAppTest;
import io.relaypacs.testsupport.SampleFiles;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static io.relaypacs.upload.UploadApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Photos join a study already on the clinic's PACS: the uploader looks it up by exact patient ID through RelayPACS
 * (QIDO-RS to the clinic's own PACS, a real Orthanc here), picks it, and the photo lands in that study.
 */
class StudyLookupTest extends LiveAppTest {
    @Autowired
    DestinationService destinations;

    @Test
    void aStudyFoundOnTheClinicsPacsReceivesThePhotoAndAnotherClinicFindsNothing() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String patientId = "LOOK-" + tag;
        String studyUid = SyntheticDicom.newUid();
        Path ct = SyntheticDicom.create(TempDirs.create("lookup"), 20_000, studyUid, SyntheticDicom.newUid(), "LOOK^UP", patientId);
        HttpResponse<String> preloaded = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(ORTHANC.baseUrl() + "/instances")).POST(HttpRequest.BodyPublishers.ofFile(ct)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preloaded.statusCode()).as(preloaded.body()).isEqualTo(200);

        ApiClient hill = signedInUploader("Lookup clinic " + tag);
        long clinicId = users.clinics().stream().filter(c -> c.name().equals("Lookup clinic " + tag)).findFirst().orElseThrow().id();
        DestinationForm pacs = destinations.save(new DestinationForm(null, 0, "Lookup PACS " + tag, DestinationKind.DICOMWEB,
                ORTHANC.dicomWebUrl(), AuthKind.NONE, null, false, null, null, null, null, "RELAYPACS", null, true, false, false), null, null);
        destinations.setRoute(clinicId, pacs.id(), null);

        ApiClient.Response found = hill.postJson("/api/upload/studies/search", "{\"patient_id\": \"" + patientId + "\"}");
        assertThat(found.status()).as(found.body()).isEqualTo(200);
        JsonNode studies = found.json().path("studies");
        assertThat(studies.size()).isEqualTo(1);
        assertThat(studies.get(0).path("study_instance_uid").asString()).isEqualTo(studyUid);
        assertThat(found.body()).as("nothing naming the patient comes back").doesNotContain("LOOK^UP").doesNotContain(patientId);
        assertThat(hill.postJson("/api/upload/studies/search", "{\"patient_id\": \"" + patientId + "\", \"study_date\": \"1999-01-01\"}")
                .json().path("studies").size()).as("a date that does not match").isZero();

        ApiClient river = signedInUploader("River clinic " + tag);
        ApiClient.Response elsewhere = river.postJson("/api/upload/studies/search", "{\"patient_id\": \"" + patientId + "\"}");
        assertThat(elsewhere.json().path("studies").size()).as("another clinic, without a PACS of its own").isZero();
        assertThat(elsewhere.json().path("unavailable").asString()).contains("a PACS set up for your clinic itself");

        assertProblem(hill.postJson("/api/upload/studies/search", "{\"patient_id\": \"LOOK-*\"}"), 400, "exact ID");
        assertProblem(hill.postJson("/api/upload/studies/search", "{\"patient_id\": \"\"}"), 400, "exact ID");

        byte[] photo = SampleFiles.jpeg(false);
        String declaration = "{\"file_name\": \"wound.jpg\", \"size\": " + photo.length + ", \"patient\": {\"name\": \"LOOK^UP\", "
                + "\"id\": \"" + patientId + "\", \"study_instance_uid\": \"" + studyUid + "\"}}";
        String upload = hill.postJson("/api/upload/init", declaration).json().path("upload_id").asString();
        assertThat(hill.putChunk(upload, 0, photo).status()).isEqualTo(201);
        assertThat(hill.complete(upload).status()).isEqualTo(202);
        JsonNode status = hill.awaitFinal(upload, Duration.ofSeconds(60));
        assertThat(status.path("state").asString()).as(status.toString()).isEqualTo("DONE");
        String photoInOrthanc = ORTHANC.findInstance(status.path("instances").path(0).path("sop_instance_uid").asString());
        String photoStudy = ORTHANC.get("/instances/" + photoInOrthanc + "/study").body();
        assertThat(photoStudy).as("the photo is in the looked-up study").contains(studyUid);

        assertProblem(hill.postJson("/api/upload/init", declaration.replace(studyUid, "1.2.x")), 400, "not a valid Study Instance UID");
    }
}
