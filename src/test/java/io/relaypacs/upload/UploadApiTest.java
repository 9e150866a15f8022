package io.relaypacs.upload;

import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.Dcmtk;
import io.relaypacs.testsupport.LiveAppTest;
import io.relaypacs.testsupport.SampleDicom;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every answer of the upload API contract, over real HTTP, with problem details a clinic user can read. */
class UploadApiTest extends LiveAppTest {
    static final int CHUNK = 256 * 1024;

    @Autowired
    UploadExpiry expiry;

    ApiClient api;
    byte[] file;

    @BeforeEach
    void signIn() throws Exception {
        api = signedInUploader("Hill Clinic");
        file = new byte[CHUNK * 3 + 1000];
        new Random(42).nextBytes(file);
    }

    String start() throws Exception {
        ApiClient.Response init = api.init("study.zip", file.length, null, CHUNK);
        assertThat(init.status()).isEqualTo(201);
        return init.json().path("upload_id").asString();
    }

    byte[] chunk(int index) {
        return Arrays.copyOfRange(file, index * CHUNK, Math.min(file.length, (index + 1) * CHUNK));
    }

    static byte[] deflate(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var deflating = new DeflaterOutputStream(out)) {
            deflating.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Test
    void aChunkCompressedInTransitIsStoredAsItWasAndTheFileReachesThePacsByteForByte() throws Exception {
        byte[] dicom = Files.readAllBytes(SampleDicom.ctSmall());
        String id = api.init("CT_small.dcm", dicom.length, ApiClient.sha256Hex(dicom), null).json().path("upload_id").asString();
        byte[] wire = deflate(dicom);
        assertThat(wire.length).as("CT_small deflates").isLessThan(dicom.length * 3 / 4);
        Map<String, String> compressed = Map.of("Content-Encoding", "deflate",
                "Repr-Digest", ApiClient.digestHeader(dicom));
        assertThat(api.putChunk(id, 0, wire, compressed).status()).isEqualTo(201);
        assertThat(api.putChunk(id, 0, wire, compressed).status()).as("the same chunk again").isEqualTo(204);
        assertThat(api.putChunk(id, 0, dicom).status()).as("and sent as it is").isEqualTo(204);
        assertThat(api.complete(id).status()).isEqualTo(202);
        assertThat(api.awaitFinal(id, Duration.ofSeconds(60)).path("state").asString()).isEqualTo("DONE");
        String sop = Dcmtk.sopInstanceUid(SampleDicom.ctSmall());
        assertThat(ORTHANC.getBytes("/instances/" + ORTHANC.findInstance(sop) + "/file")).isEqualTo(dicom);
    }

    @Test
    void pixelSamplesFilteredBeforeCompressionAreRestoredAndReachThePacsByteForByte() throws Exception {
        byte[] dicom = Files.readAllBytes(SampleDicom.ctSmall());
        int pixels = dicom.length - 128 * 128 * 2; // CT_small's pixel data, 128 x 128 x 16 bit, ends the file
        String id = api.init("CT_small.dcm", dicom.length, ApiClient.sha256Hex(dicom), null).json().path("upload_id").asString();
        byte[] filtered = deflate(SampleDeltaInputStreamTest.filter(dicom, pixels, 128 * 128 * 2));
        assertThat(filtered.length).as("filtered packs tighter than deflate alone").isLessThan(deflate(dicom).length * 9 / 10);
        Map<String, String> headers = Map.of("Content-Encoding", "deflate", "Repr-Digest", ApiClient.digestHeader(dicom),
                "Sample-Delta", "offset=" + pixels + ", length=" + 128 * 128 * 2);
        assertProblem(api.putChunk(id, 0, filtered, Map.of("Content-Encoding", "deflate", "Repr-Digest",
                ApiClient.digestHeader(dicom), "Sample-Delta", "offset=" + pixels + ", length=" + dicom.length)), 400, "Sample-Delta");
        assertProblem(api.putChunk(id, 0, filtered, Map.of("Content-Encoding", "deflate", "Repr-Digest",
                ApiClient.digestHeader(dicom))), 422, "damaged");
        assertThat(api.putChunk(id, 0, filtered, headers).status()).isEqualTo(201);
        assertThat(api.complete(id).status()).isEqualTo(202);
        assertThat(api.awaitFinal(id, Duration.ofSeconds(60)).path("state").asString()).isEqualTo("DONE");
        String sop = Dcmtk.sopInstanceUid(SampleDicom.ctSmall());
        assertThat(ORTHANC.getBytes("/instances/" + ORTHANC.findInstance(sop) + "/file")).isEqualTo(dicom);
    }

    @Test
    void aCompressedChunkThatDecodesBeyondItsSizeIsRefusedAndNothingIsKept() throws Exception {
        String id = start();
        byte[] bomb = deflate(new byte[20 * 1024 * 1024]); // 20 MB of zeros in about 20 KB
        assertThat(bomb.length).isLessThan(64 * 1024);
        assertProblem(api.putChunk(id, 0, bomb, Map.of("Content-Encoding", "deflate",
                "Repr-Digest", ApiClient.digestHeader(chunk(0)))), 413, "decompresses to more than its 262144 bytes");
        assertProblem(api.putChunk(id, 0, deflate(chunk(0)), Map.of("Content-Encoding", "deflate")), 400, "Repr-Digest");
        assertProblem(api.putChunk(id, 0, chunk(0), Map.of("Content-Encoding", "br",
                "Repr-Digest", ApiClient.digestHeader(chunk(0)))), 415, "deflate or gzip");
        byte[] damaged = deflate(chunk(0));
        damaged[damaged.length / 2] ^= 0x55;
        ApiClient.Response broken = api.putChunk(id, 0, damaged, Map.of("Content-Encoding", "deflate",
                "Repr-Digest", ApiClient.digestHeader(chunk(0))));
        assertThat(broken.status()).as(broken.body()).isEqualTo(422);
        assertThat(api.status(id).json().path("missing_chunks").toString()).isEqualTo("[0,1,2,3]");
        assertThat(api.putChunk(id, 0, deflate(chunk(0)), Map.of("Content-Encoding", "deflate",
                "Repr-Digest", ApiClient.digestHeader(chunk(0)))).status()).isEqualTo(201);
    }

    static void assertProblem(ApiClient.Response r, int status, String detailPart) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().path("status").asInt()).isEqualTo(status);
        assertThat(r.json().path("detail").asString()).contains(detailPart);
    }

    @Test
    void initAnswersTheChunkPlan() throws Exception {
        ApiClient.Response r = api.init("study.zip", file.length, null, CHUNK);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().path("chunk_size").asInt()).isEqualTo(CHUNK);
        assertThat(r.json().path("total_chunks").asInt()).isEqualTo(4);
        assertThat(Instant.parse(r.json().path("expires_at").asString()))
                .isCloseTo(Instant.now().plus(24, ChronoUnit.HOURS), Assertions.within(5, ChronoUnit.MINUTES));

        ApiClient.Response defaults = api.init("photo.jpg", 5_000_000, null, null);
        assertThat(defaults.json().path("chunk_size").asInt()).isEqualTo(1024 * 1024);
        assertThat(defaults.json().path("total_chunks").asInt()).isEqualTo(5);
    }

    @Test
    void initRefusesBadDeclarationsInPlainLanguage() throws Exception {
        assertProblem(api.init("big.dcm", 5L * 1024 * 1024 * 1024, null, null), 413, "more than the 4.0 GB");
        assertProblem(api.init("empty.dcm", 0, null, null), 400, "is empty");
        assertProblem(api.init("x.dcm", 10, null, 1024), 400, "chunk_size must be between");
        assertProblem(api.init("x.dcm", 10, "not-a-digest", null), 400, "sha256");
        assertProblem(api.postJson("/api/upload/init", "{\"size\": 10}"), 400, "name");
        ApiClient.Response malformed = api.postJson("/api/upload/init", "{\"file_name\": \"x\", \"size\": ");
        assertProblem(malformed, 400, "not valid JSON");
        assertThat(malformed.body()).doesNotContain("Exception");
    }

    @Test
    void problemsAndOutcomesAreSaidInTheLanguageTheClientAsksFor() throws Exception {
        api.speak("fr-FR");
        assertProblem(api.init("vide.dcm", 0, null, null), 400, "est vide");
        byte[] notes = "Rendez-vous mardi".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ApiClient.Response init = api.init("notes.txt", notes.length, null, null);
        String id = init.json().path("upload_id").asString();
        assertThat(api.putLastChunk(id, 0, notes).status()).isEqualTo(202);
        var status = api.awaitFinal(id, Duration.ofSeconds(30));
        String said = status.path("instances").path(0).path("message").asString() + " " + status.path("error").asString("");
        assertThat(said).contains("n'est ni une image médicale").doesNotContain("not a medical image");
        api.speak("en");
        assertThat(api.status(id).json().path("instances").path(0).path("message").asString()).contains("is not a medical image");
    }

    @Test
    void theApiNeedsAValidToken() throws Exception {
        ApiClient anonymous = new ApiClient(baseUrl());
        assertProblem(anonymous.init("x.dcm", 10, null, null), 401, "sign in");
        anonymous.useToken(api.token().substring(0, api.token().length() - 4) + "AAAA");
        assertProblem(anonymous.init("x.dcm", 10, null, null), 401, "sign in");
        assertProblem(new ApiClient(baseUrl()).login("nobody", "wrong"), 401, "not correct");
    }

    @Test
    void chunkAnswersFollowTheContract() throws Exception {
        String id = start();
        assertThat(api.putChunk(id, 0, chunk(0)).status()).isEqualTo(201);
        assertThat(api.putChunk(id, 0, chunk(0)).status()).as("same chunk again").isEqualTo(204);
        assertProblem(api.putChunk(id, 0, chunk(1)), 409, "different content");
        assertProblem(api.putChunk(id, 1, chunk(1), "sha-256=:" + Base64.getEncoder()
                .encodeToString(ApiClient.sha256(chunk(2))) + ":"), 422, "damaged");
        assertProblem(api.putChunk(id, 1, Arrays.copyOf(chunk(1), 100)), 422, "should be " + CHUNK);
        byte[] tooLong = Arrays.copyOf(chunk(1), CHUNK + 10);
        assertProblem(api.putChunk(id, 1, tooLong), 422, "more");
        assertProblem(api.putChunk(id, 4, chunk(1)), 400, "chunks 0 to 3");
        assertProblem(api.putChunk(id, -1, chunk(1)), 400, "does not exist");
        assertProblem(api.putChunk(id, 1, chunk(1), (String) null), 400, "Content-Digest");
        assertProblem(api.putChunk("8d3c1f4e-0000-4000-8000-000000000000", 0, chunk(0)), 404, "does not exist");

        ApiClient.Response status = api.status(id);
        assertThat(status.json().path("received_chunks").asInt()).isEqualTo(1);
        assertThat(status.json().path("missing_chunks").toString()).isEqualTo("[1,2,3]");
        assertThat(status.json().path("bytes_received").asLong()).isEqualTo(CHUNK);
        assertThat(chunkObjects(id)).as("rejected chunks leave nothing behind").hasSize(1);
    }

    @Test
    void aChunkIsRawBytesWhateverContentTypeTheClientClaims() throws Exception {
        String id = start();
        // curl --data-binary labels its body application/x-www-form-urlencoded
        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(baseUrl() + "/api/upload/" + id + "/chunk?index=0"))
                .header("Authorization", "Bearer " + api.token())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Content-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(ApiClient.sha256(chunk(0))) + ":")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk(0))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(api.status(id).json().path("received_chunks").asInt()).isEqualTo(1);
    }

    @Test
    void theLastChunkCanCompleteTheUploadInTheSameRequest() throws Exception {
        String id = start();
        for (int i = 0; i < 3; i++) {
            assertThat(api.putChunk(id, i, chunk(i)).status()).isEqualTo(201);
        }
        ApiClient.Response last = api.putLastChunk(id, 3, chunk(3));
        assertThat(last.status()).isEqualTo(202);
        assertThat(last.json().path("state").asString()).isIn("RECEIVED", "PROCESSING", "FAILED");
        assertThat(last.json().path("missing_chunks").size()).isZero();
        String early = start();
        assertProblem(api.putLastChunk(early, 3, chunk(3)), 409, "3 of 4 chunks have not arrived");
        assertThat(api.status(early).json().path("missing_chunks").toString()).as("the chunk itself was kept").isEqualTo("[0,1,2]");
    }

    @Test
    void filesDeclaredTogetherEachStartOrSayWhyNot() throws Exception {
        ApiClient.Response answer = api.postJson("/api/upload/init-batch", "{\"files\":["
                + "{\"file_name\":\"a.dcm\",\"size\":1000,\"chunk_size\":" + CHUNK + "},"
                + "{\"file_name\":\"big.dcm\",\"size\":" + 5L * 1024 * 1024 * 1024 + "},"
                + "{\"file_name\":\"empty.dcm\",\"size\":0},"
                + "{\"file_name\":\"b.dcm\",\"size\":1000,\"chunk_size\":" + CHUNK + "}]}");
        assertThat(answer.status()).isEqualTo(200);
        var uploads = answer.json().path("uploads");
        assertThat(uploads.size()).isEqualTo(4);
        String a = uploads.get(0).path("started").path("upload_id").asString();
        assertThat(uploads.get(0).path("started").path("total_chunks").asInt()).isEqualTo(1);
        assertThat(uploads.get(1).path("problem").path("status").asInt()).isEqualTo(413);
        assertThat(uploads.get(1).path("problem").path("detail").asString()).contains("more than the 4.0 GB");
        assertThat(uploads.get(2).path("problem").path("status").asInt()).isEqualTo(400);
        assertThat(uploads.get(3).path("started").path("upload_id").asString()).isNotEqualTo(a);
        assertThat(api.status(a).json().path("missing_chunks").toString()).isEqualTo("[0]");

        assertProblem(api.postJson("/api/upload/init-batch", "{\"files\":[]}"), 400, "between 1 and 200");
        String tooMany = java.util.stream.IntStream.range(0, 201).mapToObj(i -> "{\"file_name\":\"f\",\"size\":1}")
                .collect(Collectors.joining(",", "{\"files\":[", "]}"));
        assertProblem(api.postJson("/api/upload/init-batch", tooMany), 400, "between 1 and 200");
    }

    @Test
    void severalUploadsAreReportedInOneRequestAndOnlyTheCallersOnes() throws Exception {
        String first = start();
        String second = start();
        String strangers = signedInUploader("River Clinic").init("x.dcm", 10, null, null).json().path("upload_id").asString();
        ApiClient.Response answer = api.postJson("/api/upload/status", "{\"upload_ids\":[\"" + first + "\",\"" + second
                + "\",\"" + strangers + "\",\"8d3c1f4e-0000-4000-8000-000000000000\"]}");
        assertThat(answer.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.json().path("uploads").forEach(u -> ids.add(u.path("upload_id").asString()));
        assertThat(ids).containsExactlyInAnyOrder(first, second);
        assertThat(answer.json().path("uploads").get(0).path("missing_chunks").size()).isEqualTo(4);
        String tooMany = java.util.stream.IntStream.range(0, 201).mapToObj(i -> "\"" + java.util.UUID.randomUUID() + "\"")
                .collect(Collectors.joining(",", "{\"upload_ids\":[", "]}"));
        assertProblem(api.postJson("/api/upload/status", tooMany), 400, "1 to 200 uploads");
    }

    @Test
    void anotherUsersUploadIsInvisible() throws Exception {
        String id = start();
        ApiClient stranger = signedInUploader("River Clinic");
        assertProblem(stranger.putChunk(id, 0, chunk(0)), 404, "belongs to someone else");
        assertProblem(stranger.status(id), 404, "does not exist");
        assertProblem(stranger.complete(id), 404, "does not exist");
    }

    @Test
    void completeListsMissingChunksAndIsSafeToRepeat() throws Exception {
        String id = start();
        api.putChunk(id, 0, chunk(0));
        api.putChunk(id, 2, chunk(2));
        ApiClient.Response early = api.complete(id);
        assertProblem(early, 409, "2 of 4 chunks have not arrived");
        assertThat(early.json().path("missing_chunks").toString()).isEqualTo("[1,3]");

        api.putChunk(id, 1, chunk(1));
        api.putChunk(id, 3, chunk(3));
        ApiClient.Response first = api.complete(id);
        ApiClient.Response second = api.complete(id);
        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(api.awaitFinal(id, Duration.ofSeconds(30)).path("state").asString())
                .as("random bytes are not an image").isEqualTo("FAILED");
        // a retry that crossed the completion: the chunks are joined and gone, the whole file was here
        assertThat(api.putChunk(id, 1, chunk(1)).status()).as("a late duplicate is still acknowledged").isEqualTo(204);
    }

    @Test
    void concurrentSendsOfOneChunkStoreExactlyOneCopy() throws Exception {
        String id = start();
        int senders = 8;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            Callable<Integer> send = () -> {
                go.await();
                return api.putChunk(id, 2, chunk(2)).status();
            };
            answers.add(pool.submit(send));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : answers) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses).containsOnly(201, 204);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(chunkObjects(id)).hasSize(1);
        assertThat(api.status(id).json().path("missing_chunks").toString()).isEqualTo("[0,1,3]");
    }

    @Test
    void anUnfinishedUploadExpiresAndItsDataIsDeleted() throws Exception {
        String id = start();
        api.putChunk(id, 0, chunk(0));
        assertThat(chunkObjects(id)).hasSize(1);

        assertThat(expiry.expireAsOf(Instant.now().plus(1, ChronoUnit.HOURS))).as("not yet due").isZero();
        assertThat(expiry.expireAsOf(Instant.now().plus(25, ChronoUnit.HOURS))).isGreaterThanOrEqualTo(1);

        ApiClient.Response status = api.status(id);
        assertThat(status.json().path("state").asString()).isEqualTo("EXPIRED");
        assertThat(status.json().path("error").asString()).contains("Send the file again");
        assertThat(chunkObjects(id)).isEmpty();
        assertProblem(api.putChunk(id, 1, chunk(1)), 409, "no longer receiving");
    }

    /** The chunk objects the server keeps for an upload, as files in the encrypted store. */
    static List<Path> chunkObjects(String uploadId) throws Exception {
        Path dir = DATA_DIR.resolve("transit/uploads/" + uploadId + "/chunks");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().endsWith(".partial")).toList();
        }
    }

    @Test
    void aChunkDamagedInStorageFailsTheUploadWithAPlainReasonAfterAFewRetriesNotForever() throws Exception {
        String id = start();
        for (int i = 0; i < 4; i++) {
            assertThat(api.putChunk(id, i, chunk(i)).status()).isEqualTo(201);
        }
        // Flip a byte in the middle of one stored (encrypted) chunk: it no longer decrypts.
        Path stored;
        try (var files = Files.walk(DATA_DIR.resolve("transit/uploads/" + id + "/chunks"))) {
            stored = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(stored, bytes);

        assertThat(api.complete(id).status()).isEqualTo(202);
        var status = api.awaitFinal(id, Duration.ofSeconds(30));
        assertThat(status.path("state").asString()).as(status.toString()).isEqualTo("FAILED");
        assertThat(status.path("error").asString()).contains("could not read this file back").contains("send it again");
    }
}
