package io.relaypacs.forward;

import io.relaypacs.dicom.DicomHeader;
import io.relaypacs.dicom.StoredInstance;
import io.relaypacs.security.Clinic;
import io.relaypacs.security.ClinicRepository;
import io.relaypacs.storage.BlobStore;
import io.relaypacs.testsupport.Dcmtk;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.SelfSignedCertificate;
import io.relaypacs.testsupport.StoreScp;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import io.relaypacs.testsupport.TestApp;
import io.relaypacs.testsupport.ThrottlingProxy;
import io.relaypacs.testsupport.TlsProxy;
import io.relaypacs.upload.UploadDashboard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Forwarding against real peers: Orthanc over DICOMweb and its REST API (one with Basic auth), dcmtk storescp over
 * C-STORE, with refusals, aborts, a PACS stopped mid-batch, duplicates, a partial failure and failover.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ForwardingTest {
    static final Path DATA = TempDirs.create("relaypacs-forwarding");
    static final OrthancProcess PLAIN = OrthancProcess.shared();
    static final OrthancProcess SECURED = started(new OrthancProcess("relay", "right-password", ""));

    static OrthancProcess started(OrthancProcess orthanc) {
        try {
            orthanc.start();
            return orthanc;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApp.properties(registry, DATA);
        registry.add("relaypacs.forward.first-retry", () -> "100ms");
        registry.add("relaypacs.forward.max-retry-delay", () -> "1s");
        registry.add("relaypacs.forward.failover-after", () -> "2");
        registry.add("relaypacs.forward.breaker-open", () -> "1s");
        registry.add("relaypacs.forward.poll-interval", () -> "200ms");
        registry.add("relaypacs.pacs.timeout", () -> "5s");
    }

    @AfterAll
    static void stop() throws Exception {
        SECURED.stop();
    }

    @Autowired
    ForwardService forward;
    @Autowired
    DestinationService destinations;
    @Autowired
    ClinicRepository clinics;
    @Autowired
    BlobStore store;
    @Autowired
    UploadDashboard dashboard;
    @Autowired
    ForwardHealth forwardHealth;

    final Path files = TempDirs.create("forwarding-files");

    PacsDestination dicomweb(String name, String url) {
        PacsDestination d = new PacsDestination(name + " " + UUID.randomUUID(), DestinationKind.DICOMWEB);
        d.setUrl(url);
        return destinations.save(d, null, null);
    }

    PacsDestination orthancRest(String name, String url) {
        PacsDestination d = new PacsDestination(name + " " + UUID.randomUUID(), DestinationKind.ORTHANC);
        d.setUrl(url);
        return destinations.save(d, null, null);
    }

    PacsDestination storeScp(int port) {
        PacsDestination d = new PacsDestination("storescp " + UUID.randomUUID(), DestinationKind.DIMSE);
        d.setHost("127.0.0.1");
        d.setPort(port);
        d.setCalledAe(StoreScp.AE);
        d.setCallingAe("RELAYPACS");
        return destinations.save(d, null, null);
    }

    long clinic(PacsDestination primary, PacsDestination fallback) {
        Clinic c = clinics.save(new Clinic("Forwarding clinic " + UUID.randomUUID()));
        destinations.setRoute(c.getId(), primary.getId(), fallback == null ? null : fallback.getId());
        return c.getId();
    }

    /** Puts the files in transit storage as one upload's instances; {@code studyOverride} lies about the study. */
    UUID enqueue(long clinic, List<Path> instances, String studyOverride) throws Exception {
        UUID upload = UUID.randomUUID();
        List<StoredInstance> outbound = new ArrayList<>();
        for (Path f : instances) {
            String key = "test/" + upload + "/" + f.getFileName();
            try (InputStream in = Files.newInputStream(f)) {
                store.put(key, in);
            }
            outbound.add(new StoredInstance(f.getFileName().toString(), key, Files.size(f), new DicomHeader(
                    Dcmtk.value(f, "0008,0016"), Dcmtk.sopInstanceUid(f),
                    studyOverride != null ? studyOverride : Dcmtk.value(f, "0020,000d"), Dcmtk.value(f, "0020,000e"),
                    Dcmtk.value(f, "0002,0010"), null, null, null, null, null)));
        }
        forward.enqueue(upload, clinic, outbound, List.of());
        return upload;
    }

    List<InstanceResult> await(UUID upload, Predicate<List<InstanceResult>> done) throws InterruptedException {
        return await(upload, done, 100);
    }

    /** Polls every {@code everyMillis}: a retry is due again 50-100 ms after a failure, so a short state needs short polls. */
    List<InstanceResult> await(UUID upload, Predicate<List<InstanceResult>> done, long everyMillis) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<InstanceResult> results = forward.resultsOf(upload);
        while (!done.test(results) && System.nanoTime() < deadline) {
            Thread.sleep(everyMillis);
            results = forward.resultsOf(upload);
        }
        return results;
    }

    /** Waits until every instance of the upload is settled, judged on the very snapshot returned. */
    List<InstanceResult> awaitSettled(UUID upload) throws InterruptedException {
        return await(upload, r -> !r.isEmpty() && r.stream().allMatch(i -> i.state() == InstanceState.STORED
                || i.state() == InstanceState.FAILED || i.state() == InstanceState.SKIPPED));
    }

    static Predicate<List<InstanceResult>> anyMessage(String text) {
        return r -> r.stream().anyMatch(i -> i.message() != null && i.message().contains(text));
    }

    Path instance() throws Exception {
        return SyntheticDicom.create(files, 50_000);
    }

    @Test
    void basicAuthWithWrongCredentialsWaitsWithAPlainReasonAndIsDeliveredOnceTheyAreFixed() throws Exception {
        PacsDestination secured = new PacsDestination("Secured " + UUID.randomUUID(), DestinationKind.DICOMWEB);
        secured.setUrl(SECURED.dicomWebUrl());
        secured.setAuth(AuthKind.BASIC);
        secured.setUsername("relay");
        secured = destinations.save(secured, "wrong-password", null);
        assertThat(destinations.check(secured.getId()).reachable()).isFalse();
        assertThat(destinations.check(secured.getId()).message()).contains("refused RelayPACS's credentials");

        Path file = instance();
        UUID upload = enqueue(clinic(secured, null), List.of(file), null);
        List<InstanceResult> waiting = await(upload, anyMessage("credentials"));
        assertThat(waiting.getFirst().state()).isIn(InstanceState.RETRY_WAIT, InstanceState.SENDING);
        assertThat(waiting.getFirst().message()).contains("refused RelayPACS's credentials (HTTP 401)");
        assertThat(SECURED.findInstance(Dcmtk.sopInstanceUid(file))).isNull();

        secured = destinations.find(secured.getId()).orElseThrow();
        destinations.save(secured, "right-password", null);
        assertThat(destinations.check(secured.getId()).reachable()).isTrue();
        List<InstanceResult> done = awaitSettled(upload);
        assertThat(done).extracting(InstanceResult::state).containsExactly(InstanceState.STORED);
        assertThat(SECURED.findInstance(Dcmtk.sopInstanceUid(file))).isNotNull();
    }

    @Test
    void credentialsAreNotSentOverPlainHttpToAnotherHost() {
        PacsDestination remote = new PacsDestination("Remote " + UUID.randomUUID(), DestinationKind.DICOMWEB);
        remote.setUrl("http://pacs.example.org/dicom-web");
        remote.setAuth(AuthKind.BASIC);
        remote.setUsername("relay");
        assertThatThrownBy(() -> destinations.save(remote, "secret", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://");
        remote.setUrl("https://pacs.example.org/dicom-web");
        assertThat(destinations.save(remote, "secret", null).getId()).isNotNull();
    }

    @Test
    void anHttpsPacsWithAPrivateCertificateIsReachedThroughTheDestinationsTrustStore() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(TempDirs.create("pacs-tls"));
        try (TlsProxy https = new TlsProxy(certificate, URI.create(PLAIN.baseUrl()).getPort())) {
            PacsDestination untrusted = dicomweb("Untrusted", https.baseUrl() + "/dicom-web");
            DestinationService.CheckResult refused = destinations.check(untrusted.getId());
            assertThat(refused.reachable()).isFalse();
            assertThat(refused.message()).contains("certificate is not trusted");

            PacsDestination trusted = new PacsDestination("Trusted " + UUID.randomUUID(), DestinationKind.DICOMWEB);
            trusted.setUrl(https.baseUrl() + "/dicom-web");
            trusted.setTrustStore(certificate.certificatePem().toString());
            trusted = destinations.save(trusted, null, null);
            assertThat(destinations.check(trusted.getId()).reachable()).isTrue();
            Path file = instance();
            assertThat(awaitSettled(enqueue(clinic(trusted, null), List.of(file), null)))
                    .extracting(InstanceResult::state).containsExactly(InstanceState.STORED);
            assertThat(PLAIN.findInstance(Dcmtk.sopInstanceUid(file))).isNotNull();
        }
    }

    @Test
    void anInstanceAlreadyOnThePacsIsReportedAsSuchAndNotSentAgain() throws Exception {
        long clinic = clinic(dicomweb("Plain", PLAIN.dicomWebUrl()), null);
        Path file = instance();
        List<InstanceResult> first = awaitSettled(enqueue(clinic, List.of(file), null));
        assertThat(first.getFirst().state()).isEqualTo(InstanceState.STORED);
        assertThat(first.getFirst().message()).isEqualTo("Delivered to the PACS.");

        List<InstanceResult> again = awaitSettled(enqueue(clinic, List.of(file), null));
        assertThat(again.getFirst().state()).isEqualTo(InstanceState.STORED);
        assertThat(again.getFirst().message()).startsWith("Already on the PACS");
    }

    @Test
    void anInstanceOfAnotherStudyInAStudyBatchFailsWith0110WhileTheRestIsStored() throws Exception {
        long clinic = clinic(dicomweb("Plain", PLAIN.dicomWebUrl()), null);
        Path good = instance();
        Path stranger = instance(); // its own study, queued as if it belonged to the first one's
        List<InstanceResult> results = awaitSettled(enqueue(clinic, List.of(good, stranger), Dcmtk.value(good, "0020,000d")));
        assertThat(results.get(0).state()).isEqualTo(InstanceState.STORED);
        assertThat(results.get(1).state()).isEqualTo(InstanceState.FAILED);
        assertThat(results.get(1).message()).contains("could not process this image (0x0110)");
        assertThat(PLAIN.findInstance(Dcmtk.sopInstanceUid(stranger))).isNull();
    }

    @Test
    void whenThePrimaryIsDownTheClinicsFallbackOrthancRestIsUsed() throws Exception {
        PacsDestination dead = dicomweb("Dead", "http://127.0.0.1:" + OrthancProcess.freePort() + "/dicom-web");
        PacsDestination fallback = orthancRest("Fallback", PLAIN.baseUrl());
        assertThat(destinations.check(dead.getId()).reachable()).isFalse();
        assertThat(destinations.check(fallback.getId()).message()).startsWith("Orthanc 1.");
        Path file = instance();
        List<InstanceResult> results = awaitSettled(enqueue(clinic(dead, fallback), List.of(file), null));
        assertThat(results).extracting(InstanceResult::state).containsExactly(InstanceState.STORED);
        assertThat(PLAIN.findInstance(Dcmtk.sopInstanceUid(file))).isNotNull();
        var health = forwardHealth.health();
        assertThat(health.getStatus()).as("a PACS away never takes RelayPACS out of service")
                .isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsKeys(dead.getName(), fallback.getName(), "all_resting");
    }

    @Test
    void aPacsStoppedDuringABatchAndRestartedGetsEveryInstance() throws Exception {
        OrthancProcess flaky = new OrthancProcess();
        flaky.start();
        // a 2 MB/s link, so that stopping the PACS lands in the middle of the study
        try (ThrottlingProxy link = new ThrottlingProxy(URI.create(flaky.baseUrl()).getPort(), 2_000_000)) {
            long clinic = clinic(dicomweb("Flaky", link.baseUrl() + "/dicom-web"), null);
            List<Path> study = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                study.add(SyntheticDicom.create(files, 300_000));
            }
            UUID upload = enqueue(clinic, study, null);
            await(upload, r -> r.stream().anyMatch(i -> i.state() == InstanceState.STORED));
            int storedBeforeStop = flaky.instanceCount();
            flaky.stop();
            Thread.sleep(2000);
            flaky.start();
            List<InstanceResult> results = awaitSettled(upload);
            assertThat(storedBeforeStop).as("some were still to send when it stopped").isBetween(1, 39);
            assertThat(results).extracting(InstanceResult::state).containsOnly(InstanceState.STORED);
            assertThat(flaky.instanceCount()).isEqualTo(40);
        } finally {
            flaky.stop();
        }
    }

    @Test
    void cStoreDeliversEachInstanceInItsOwnTransferSyntax() throws Exception {
        try (StoreScp scp = new StoreScp().start()) {
            PacsDestination peer = storeScp(scp.port());
            assertThat(destinations.check(peer.getId()).message()).contains("C-ECHO to STORESCP answered");
            Path explicit = instance();
            Path jpeg2000 = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small_jp2klossless.dcm");
            List<InstanceResult> results = awaitSettled(enqueue(clinic(peer, null), List.of(explicit, jpeg2000), null));
            assertThat(results).extracting(InstanceResult::state).containsOnly(InstanceState.STORED);
            assertThat(scp.received()).hasSize(2);
            List<String> syntaxes = new ArrayList<>();
            for (Path received : scp.received()) {
                syntaxes.add(Dcmtk.value(received, "0002,0010"));
            }
            assertThat(syntaxes).containsExactlyInAnyOrder(Dcmtk.value(explicit, "0002,0010"), Dcmtk.value(jpeg2000, "0002,0010"));
        }
    }

    @Test
    void aRefusingPeerIsRetriedAndAnAbortedTransferIsDeliveredOnceThePeerBehaves() throws Exception {
        try (StoreScp scp = new StoreScp().start("--refuse")) {
            PacsDestination peer = storeScp(scp.port());
            assertThat(destinations.check(peer.getId()).reachable()).isFalse();
            long clinic = clinic(peer, null);
            UUID refused = enqueue(clinic, List.of(instance()), null);
            List<InstanceResult> waiting = await(refused, anyMessage("did not accept a connection"));
            assertThat(waiting.getFirst().message()).contains("did not accept a connection").contains("try again");

            scp.start("--abort-during");
            UUID aborted = enqueue(clinic, List.of(instance()), null);
            List<InstanceResult> broken = await(aborted, anyMessage("broke off"));
            assertThat(broken.getFirst().message()).contains("connection to the PACS broke off");

            scp.start();
            assertThat(awaitSettled(refused)).extracting(InstanceResult::state).containsOnly(InstanceState.STORED);
            assertThat(awaitSettled(aborted)).extracting(InstanceResult::state).containsOnly(InstanceState.STORED);
            assertThat(scp.received()).hasSize(2);
        }
    }

    @Test
    void anImageThePeerDoesNotTakeInItsEncodingFailsAndAnAdministratorSendsItElsewhere() throws Exception {
        try (StoreScp scp = new StoreScp().startUncompressedOnly()) {
            long clinic = clinic(storeScp(scp.port()), null);
            Path jpeg2000 = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small_jp2klossless.dcm");
            UUID upload = enqueue(clinic, List.of(jpeg2000), null);
            List<InstanceResult> failed = awaitSettled(upload);
            assertThat(failed.getFirst().state()).isEqualTo(InstanceState.FAILED);
            assertThat(failed.getFirst().message()).contains("does not accept this kind of image in this encoding");
            assertThat(scp.received()).isEmpty();

            PacsDestination orthanc = orthancRest("Elsewhere", PLAIN.baseUrl());
            assertThat(dashboard.sendAgain(upload, orthanc.getId())).isEqualTo(1);
            List<InstanceResult> again = awaitSettled(upload);
            assertThat(again.getFirst().state()).isEqualTo(InstanceState.STORED);
            assertThat(PLAIN.findInstance(Dcmtk.sopInstanceUid(jpeg2000))).isNotNull();
            assertThat(dashboard.sendAgain(upload, null)).as("nothing failed is left").isZero();
        }
    }

    @Test
    void aPeerThatTakesOnlyUncompressedImagesGetsThemDecompressedWhenItsDestinationSaysSoAndOrthancTheOriginals() throws Exception {
        Path dir = TempDirs.create("picky-peer");
        Path jpeg2000 = dir.resolve("j2k.dcm");
        Path jpegLs = dir.resolve("jpls.dcm");
        Files.copy(Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small_jp2klossless.dcm"), jpeg2000);
        Files.copy(Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small_jpeg_ls_lossless.dcm"), jpegLs);
        Dcmtk.tool("dcmodify", "-nb", "-gin", jpeg2000.toString()); // the samples share one SOP Instance UID
        Dcmtk.tool("dcmodify", "-nb", "-gin", jpegLs.toString());
        Path referenceJ2k = dir.resolve("j2k-reference.dcm");
        Path referenceJpls = dir.resolve("jpls-reference.dcm");
        Dcmtk.tool("gdcmconv", "--raw", jpeg2000.toString(), referenceJ2k.toString());
        Dcmtk.tool("dcmdjpls", jpegLs.toString(), referenceJpls.toString());
        try (StoreScp scp = new StoreScp().startUncompressedOnly()) {
            PacsDestination picky = new PacsDestination("picky storescp " + UUID.randomUUID(), DestinationKind.DIMSE);
            picky.setHost("127.0.0.1");
            picky.setPort(scp.port());
            picky.setCalledAe(StoreScp.AE);
            picky.setCallingAe("RELAYPACS");
            picky.setDecompressWhenRefused(true);
            picky = destinations.save(picky, null, null);
            List<InstanceResult> results = awaitSettled(enqueue(clinic(picky, null), List.of(jpeg2000, jpegLs), null));
            assertThat(results).extracting(InstanceResult::state).containsOnly(InstanceState.STORED);
            assertThat(results).extracting(InstanceResult::message).containsExactlyInAnyOrder(
                    "Delivered to the PACS, sent decompressed because the PACS does not accept JPEG 2000.",
                    "Delivered to the PACS, sent decompressed because the PACS does not accept JPEG-LS.");
            Map<String, Path> received = new HashMap<>();
            for (Path f : scp.received()) {
                assertThat(Dcmtk.value(f, "0002,0010")).isEqualTo("1.2.840.10008.1.2.1");
                received.put(Dcmtk.sopInstanceUid(f), f);
            }
            assertThat(Dcmtk.pixelValues(received.get(Dcmtk.sopInstanceUid(jpeg2000))))
                    .as("pixel values as GDCM decodes the JPEG 2000").isEqualTo(Dcmtk.pixelValues(referenceJ2k));
            assertThat(Dcmtk.pixelValues(received.get(Dcmtk.sopInstanceUid(jpegLs))))
                    .as("pixel values as dcmdjpls decodes the JPEG-LS").isEqualTo(Dcmtk.pixelValues(referenceJpls))
                    .isEqualTo(Dcmtk.pixelValues(referenceJ2k)); // both lossless codings of one MR slice
        }
        PacsDestination orthanc = orthancRest("Takes everything", PLAIN.baseUrl());
        List<InstanceResult> originals = awaitSettled(enqueue(clinic(orthanc, null), List.of(jpeg2000, jpegLs), null));
        assertThat(originals).extracting(InstanceResult::message).allMatch(m -> !m.contains("decompressed"));
        for (Path f : List.of(jpeg2000, jpegLs)) {
            assertThat(PLAIN.getBytes("/instances/" + PLAIN.findInstance(Dcmtk.sopInstanceUid(f)) + "/file"))
                    .as("a PACS that takes the encoding gets the original bytes").isEqualTo(Files.readAllBytes(f));
        }
    }

    @Test
    void aPeerThatHangsIsGivenUpOnAfterTheTimeout() throws Exception {
        try (StoreScp scp = new StoreScp().start("--sleep-during", "30")) {
            long clinic = clinic(storeScp(scp.port()), null);
            long started = System.nanoTime();
            UUID upload = enqueue(clinic, List.of(instance()), null);
            List<InstanceResult> waiting = await(upload, r -> r.getFirst().state() == InstanceState.RETRY_WAIT, 5);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            assertThat(waiting.getFirst().message()).contains("connection to the PACS broke off").contains("try again");
        }
    }
}
