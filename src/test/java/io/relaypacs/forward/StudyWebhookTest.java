package io.relaypacs.forward;

import com.sun.net.httpserver.HttpServer;
import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.LiveAppTest;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reading side hears of each delivered study once, signed, even when its receiver was down at first; a receiver
 * that never answers ends on the dashboard's list. Real uploads to a real Orthanc, a real HTTP receiver.
 */
class StudyWebhookTest extends LiveAppTest {
    @DynamicPropertySource
    static void quickWebhooks(DynamicPropertyRegistry registry) {
        registry.add("relaypacs.webhooks.quiet", () -> "1s");
        registry.add("relaypacs.webhooks.first-retry", () -> "1s");
        registry.add("relaypacs.webhooks.give-up-after", () -> "6s");
        registry.add("relaypacs.webhooks.poll-interval", () -> "500ms");
    }

    @Autowired
    DestinationService destinations;
    @Autowired
    StudyWebhooks webhooks;

    /** A receiver that refuses its first {@code refusals} calls with 503, then takes them; it keeps what it got. */
    record Receiver(HttpServer server, List<Map<String, String>> calls) implements AutoCloseable {
        static Receiver start(int refusals) throws Exception {
            List<Map<String, String>> calls = new CopyOnWriteArrayList<>();
            AtomicInteger seen = new AtomicInteger();
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/hook", exchange -> {
                calls.add(Map.of("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                        "signature", String.valueOf(exchange.getRequestHeaders().getFirst("RelayPACS-Signature")),
                        "notice", String.valueOf(exchange.getRequestHeaders().getFirst("RelayPACS-Notice"))));
                exchange.sendResponseHeaders(seen.incrementAndGet() <= refusals ? 503 : 204, -1);
                exchange.close();
            });
            server.start();
            return new Receiver(server, calls);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    long routedClinic(String tag, String webhookUrl, String secret) throws Exception {
        DestinationForm pacs = destinations.save(new DestinationForm(null, 0, "Webhook PACS " + tag, DestinationKind.DICOMWEB,
                ORTHANC.dicomWebUrl(), AuthKind.NONE, null, false, null, null, null, null, "RELAYPACS", null, true, false, false), null, null);
        webhooks.set("admin", pacs.id(), webhookUrl, secret);
        long clinicId = users.clinics().stream().filter(c -> c.name().equals("Webhook clinic " + tag)).findFirst().orElseThrow().id();
        destinations.setRoute(clinicId, pacs.id(), null);
        return clinicId;
    }

    String sendStudy(ApiClient api, int files) throws Exception {
        String study = SyntheticDicom.newUid();
        String series = SyntheticDicom.newUid();
        Path dir = TempDirs.create("webhook");
        for (int i = 0; i < files; i++) {
            byte[] dicom = Files.readAllBytes(SyntheticDicom.create(dir, 10_000, study, series, "HOOK^PATIENT", "HOOK-1"));
            String id = api.init("slice-" + i + ".dcm", dicom.length, null, null).json().path("upload_id").asString();
            assertThat(api.putChunk(id, 0, dicom).status()).isEqualTo(201);
            api.complete(id);
            assertThat(api.awaitFinal(id, Duration.ofSeconds(60)).path("state").asString()).isEqualTo("DONE");
        }
        return study;
    }

    @Test
    void eachDeliveredStudyIsAnnouncedOnceSignedAndAgainAfterTheReceiverWasDown() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String secret = "a-shared-secret-of-the-worklist";
        try (Receiver receiver = Receiver.start(1)) {
            ApiClient api = signedInUploader("Webhook clinic " + tag);
            routedClinic(tag, receiver.url(), secret);
            String study = sendStudy(api, 2);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (receiver.calls().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(3000); // nothing more should come: once per study
            assertThat(receiver.calls()).as("refused once, then taken, and no more").hasSize(2);
            Map<String, String> taken = receiver.calls().get(1);
            assertThat(taken.get("notice")).isEqualTo(receiver.calls().get(0).get("notice"));
            JsonNode body = JsonMapper.builder().build().readTree(taken.get("body"));
            assertThat(body.path("study_instance_uid").asString()).isEqualTo(study);
            assertThat(body.path("clinic").asString()).isEqualTo("Webhook clinic " + tag);
            assertThat(body.path("instances").path("stored").asInt()).isEqualTo(2);
            assertThat(taken.get("body")).doesNotContain("HOOK^PATIENT").doesNotContain("HOOK-1");
            String[] signature = taken.get("signature").split(",");
            long t = Long.parseLong(signature[0].substring(2));
            assertThat(signature[1]).isEqualTo("v1=" + StudyWebhooks.sign(secret, t, taken.get("body")));
            assertThat(signature[1]).isNotEqualTo("v1=" + StudyWebhooks.sign("another-secret-entirely", t, taken.get("body")));
        }
        assertThat(webhooks.failures()).extracting(StudyWebhooks.Failed::destination).doesNotContain("Webhook PACS " + tag);
    }

    @Test
    void aReceiverThatNeverAnswersIsGivenUpAndShownAndBadSettingsAreRefused() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        try (Receiver receiver = Receiver.start(Integer.MAX_VALUE)) {
            ApiClient api = signedInUploader("Webhook clinic " + tag);
            routedClinic(tag, receiver.url(), "another-shared-secret-here");
            String study = sendStudy(api, 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (webhooks.failures().stream().noneMatch(f -> f.studyUid().equals(study)) && System.nanoTime() < deadline) {
                Thread.sleep(300);
            }
            assertThat(webhooks.failures()).filteredOn(f -> f.studyUid().equals(study)).singleElement()
                    .satisfies(f -> assertThat(f.error()).contains("HTTP 503"));
            assertThat(receiver.calls().size()).as("retried before giving up").isGreaterThanOrEqualTo(2);
        }
        assertThatThrownBy(() -> webhooks.set("admin", 1, "ftp://example.org/hook", "long-enough-secret-123"))
                .hasMessageContaining("https://");
        assertThatThrownBy(() -> webhooks.set("admin", 1, "https://example.org/hook", "short"))
                .hasMessageContaining("at least 16 characters");
    }
}
