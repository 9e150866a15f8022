package io.relaypacs.upload;

import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.LiveAppTest;
import io.relaypacs.testsupport.SampleDicom;
import io.relaypacs.testsupport.SampleFiles;
import io.relaypacs.testsupport.SamplePdfs;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/** Uploads end to end over real HTTP; the instance reaches a real Orthanc byte for byte. */
class UploadToOrthancTest extends LiveAppTest {

    ApiClient api;

    @BeforeEach
    void signIn() throws Exception {
        api = signedInUploader("Hill Clinic");
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

        String orthancId = ORTHANC.findInstance(sopInstanceUid);
        assertThat(orthancId).as("instance %s in Orthanc", sopInstanceUid).isNotNull();
        assertThat(ORTHANC.getBytes("/instances/" + orthancId + "/file")).isEqualTo(file);
    }

    @Test
    void chunksSentOutOfOrderAreAssembledInOrderAndDelivered() throws Exception {
        byte[] file = Files.readAllBytes(SyntheticDicom.create(TempDirs.create("synthetic"), 1_500_000));
        int chunkSize = 256 * 1024;
        ApiClient.Response init = api.init("big.dcm", file.length, ApiClient.sha256Hex(file), chunkSize);
        String id = init.json().path("upload_id").asString();
        int total = init.json().path("total_chunks").asInt();
        assertThat(total).isEqualTo((file.length + chunkSize - 1) / chunkSize);

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(7));
        for (int index : order) {
            byte[] chunk = Arrays.copyOfRange(file, index * chunkSize, Math.min(file.length, (index + 1) * chunkSize));
            assertThat(api.putChunk(id, index, chunk).status()).isEqualTo(201);
        }
        assertThat(api.complete(id).status()).isEqualTo(202);

        JsonNode status = api.awaitFinal(id, Duration.ofSeconds(30));
        assertThat(status.path("state").asString()).as(status.toString()).isEqualTo("DONE");
        String orthancId = ORTHANC.findInstance(status.path("instances").path(0).path("sop_instance_uid").asString());
        assertThat(ORTHANC.getBytes("/instances/" + orthancId + "/file")).isEqualTo(file);
    }

    @Test
    void aFileThatIsNotDicomEndsFailedWithAPlainReasonAndNothingReachesOrthanc() throws Exception {
        int before = ORTHANC.instanceCount();
        byte[] notDicom = "This is a shopping list, not an image.\n".repeat(20).getBytes();

        String id = api.init("list.dcm", notDicom.length, null, null).json().path("upload_id").asString();
        api.putChunk(id, 0, notDicom);
        api.complete(id);

        JsonNode status = api.awaitFinal(id, Duration.ofSeconds(30));
        assertThat(status.path("state").asString()).isEqualTo("FAILED");
        assertThat(status.path("error").asString()).contains("not a medical image");
        assertThat(status.path("instances").path(0).path("state").asString()).isEqualTo("SKIPPED");
        assertThat(status.path("instances").path(0).path("message").asString()).contains("not");
        assertThat(ORTHANC.instanceCount()).isEqualTo(before);
    }

    @Test
    void aWholeFileDigestThatDoesNotMatchFailsTheUploadWithAClearReason() throws Exception {
        byte[] file = Files.readAllBytes(SampleDicom.ctSmall());
        String wrong = ApiClient.sha256Hex("something else".getBytes());
        String id = api.init("CT_small.dcm", file.length, wrong, null).json().path("upload_id").asString();
        api.putChunk(id, 0, file);
        api.complete(id);

        JsonNode status = api.awaitFinal(id, Duration.ofSeconds(30));
        assertThat(status.path("state").asString()).isEqualTo("FAILED");
        assertThat(status.path("error").asString()).contains("checksum");
        assertThat(status.path("instances").size()).isZero();
    }

    /** Sends one file in one chunk with the given init body and waits for the server's final word. */
    JsonNode send(String initJson, byte[] file) throws Exception {
        ApiClient.Response init = api.postJson("/api/upload/init", initJson);
        assertThat(init.status()).as(init.body()).isEqualTo(201);
        String id = init.json().path("upload_id").asString();
        assertThat(api.putChunk(id, 0, file).status()).isEqualTo(201);
        assertThat(api.complete(id).status()).isEqualTo(202);
        return api.awaitFinal(id, Duration.ofSeconds(60));
    }

    @Test
    void photosWithThePatientEnteredArriveAsOneStudyThatOrthancRenders() throws Exception {
        byte[] jpeg = SampleFiles.jpeg(false);
        byte[] png = SampleFiles.png();
        String patient = "\"patient\": {\"name\": \"DOE^JANE\", \"id\": \"RP-PHOTO-1\", \"birth_date\": \"1980-04-23\", "
                + "\"sex\": \"F\", \"study_description\": \"Wound, left leg\"}";
        List<String> orthancIds = new ArrayList<>();
        for (var photo : List.of(java.util.Map.entry("wound.jpg", jpeg), java.util.Map.entry("scan.png", png))) {
            JsonNode status = send("{\"file_name\": \"" + photo.getKey() + "\", \"size\": " + photo.getValue().length
                    + ", \"batch_id\": \"photos-1\", " + patient + "}", photo.getValue());
            assertThat(status.path("state").asString()).as(status.toString()).isEqualTo("DONE");
            JsonNode instance = status.path("instances").path(0);
            assertThat(instance.path("message").asString()).contains(photo.getKey().endsWith("jpg") ? "kept as it was taken" : "PNG");
            String id = ORTHANC.findInstance(instance.path("sop_instance_uid").asString());
            assertThat(id).isNotNull();
            orthancIds.add(id);
            var preview = ORTHANC.getBytes("/instances/" + id + "/preview");
            assertThat(ImageIO.read(new ByteArrayInputStream(preview))).as("a rendered image").isNotNull();
        }
        String tags = ORTHANC.get("/instances/" + orthancIds.get(0) + "/simplified-tags").body();
        assertThat(tags).contains("\"PatientName\" : \"DOE^JANE\"").contains("\"PatientBirthDate\" : \"19800423\"");
        String study0 = ORTHANC.get("/instances/" + orthancIds.get(0) + "/study").body().replaceAll("(?s).*\"ID\" : \"([^\"]+)\".*", "$1");
        String study1 = ORTHANC.get("/instances/" + orthancIds.get(1) + "/study").body().replaceAll("(?s).*\"ID\" : \"([^\"]+)\".*", "$1");
        assertThat(study0).as("both photos in one study").isEqualTo(study1);
    }

    @Test
    void aPhotoAndAReferralLetterPickedWithACtJoinItsStudyInOrthanc() throws Exception {
        byte[] ct = Files.readAllBytes(SampleDicom.ctSmall());
        byte[] letter = SamplePdfs.letter();
        String studyUid = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322"; // CT_small's, as the browser reads it
        String joins = "\"batch_id\": \"join-1\", \"patient\": {\"name\": \"CompressedSamples^CT1\", \"id\": \"1CT1\", "
                + "\"study_instance_uid\": \"" + studyUid + "\", \"study_date\": \"20040119\"}";
        JsonNode ctStatus = send("{\"file_name\": \"CT_small.dcm\", \"size\": " + ct.length + ", " + joins + "}", ct);
        JsonNode photo = send("{\"file_name\": \"wound.jpg\", \"size\": " + SampleFiles.jpeg(false).length + ", " + joins + "}",
                SampleFiles.jpeg(false));
        JsonNode document = send("{\"file_name\": \"Referral letter.pdf\", \"size\": " + letter.length + ", " + joins + "}", letter);
        for (JsonNode status : List.of(ctStatus, photo, document)) {
            assertThat(status.path("state").asString()).as(status.toString()).isEqualTo("DONE");
        }
        String ctStudy = studyOf(ORTHANC.findInstance(ctStatus.path("instances").path(0).path("sop_instance_uid").asString()));
        String photoId = ORTHANC.findInstance(photo.path("instances").path(0).path("sop_instance_uid").asString());
        String pdfId = ORTHANC.findInstance(document.path("instances").path(0).path("sop_instance_uid").asString());
        assertThat(studyOf(photoId)).as("the photo joined the CT's study").isEqualTo(ctStudy);
        assertThat(studyOf(pdfId)).as("the letter joined it too").isEqualTo(ctStudy);
        assertThat(document.path("instances").path(0).path("message").asString()).contains("Document kept as it was");
        byte[] pdfInOrthanc = ORTHANC.getBytes("/instances/" + pdfId + "/pdf");
        assertThat(pdfInOrthanc).as("Orthanc hands back the letter byte for byte").isEqualTo(letter);
    }

    private static String studyOf(String orthancInstanceId) throws Exception {
        return ORTHANC.get("/instances/" + orthancInstanceId + "/study").body().replaceAll("(?s).*\"ID\" : \"([^\"]+)\".*", "$1");
    }

    @Test
    void aZipOfAStudyDeliversEachInstanceByteForByteAndSaysWhatWasSkipped() throws Exception {
        byte[] ct = Files.readAllBytes(SampleDicom.ctSmall());
        byte[] mr = Files.readAllBytes(SampleDicom.file("MR_small.dcm"));
        byte[] zip = SampleFiles.zip(new TreeMap<>(Map.of(
                "STUDY/CT_small.dcm", ct, "STUDY/MR_small.dcm", mr, "STUDY/notes.txt", "seen by Dr Who".getBytes())));
        JsonNode status = send("{\"file_name\": \"study.zip\", \"size\": " + zip.length + "}", zip);
        assertThat(status.path("state").asString()).as(status.toString()).isEqualTo("DONE");
        List<String> states = new ArrayList<>();
        status.path("instances").forEach(i -> states.add(i.path("source_name").asString() + "=" + i.path("state").asString()));
        assertThat(states).containsExactlyInAnyOrder("study.zip › STUDY/CT_small.dcm=STORED",
                "study.zip › STUDY/MR_small.dcm=STORED", "study.zip › STUDY/notes.txt=SKIPPED");
        for (JsonNode i : status.path("instances")) {
            if (i.path("state").asString().equals("STORED")) {
                byte[] expected = i.path("source_name").asString().endsWith("CT_small.dcm") ? ct : mr;
                String id = ORTHANC.findInstance(i.path("sop_instance_uid").asString());
                assertThat(ORTHANC.getBytes("/instances/" + id + "/file")).isEqualTo(expected);
            }
        }
    }

    @Test
    void aDeidentifiedUploadReachesOrthancWithoutThePatientsDetails() throws Exception {
        byte[] ct = Files.readAllBytes(SampleDicom.ctSmall());
        JsonNode status = send("{\"file_name\": \"CT_small.dcm\", \"size\": " + ct.length + ", \"deidentify\": true}", ct);
        assertThat(status.path("state").asString()).as(status.toString()).isEqualTo("DONE");
        JsonNode instance = status.path("instances").path(0);
        assertThat(instance.path("sop_instance_uid").asString()).isNotEqualTo("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322");
        assertThat(instance.path("message").asString()).contains("de-identified");
        String id = ORTHANC.findInstance(instance.path("sop_instance_uid").asString());
        String tags = ORTHANC.get("/instances/" + id + "/simplified-tags").body();
        assertThat(tags).doesNotContain("CompressedSamples").doesNotContain("1CT1").contains("\"PatientIdentityRemoved\" : \"YES\"");
    }
}
