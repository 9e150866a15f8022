package io.relaypacs.bench;

import io.relaypacs.RelayPacsApplication;
import io.relaypacs.dicom.DicomHeader;
import io.relaypacs.dicom.StoredInstance;
import io.relaypacs.forward.ForwardService;
import io.relaypacs.storage.BlobStore;
import io.relaypacs.testsupport.Dcmtk;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Forward benchmark (bin/benchmark forward [instances=200] [KiB=512]): a synthetic study (dcmtk) put in RelayPACS's
 * encrypted transit storage and forwarded to a real Orthanc by the outbox worker (STOW-RS, lookup before sending,
 * QIDO-RS verification, outbox bookkeeping in H2), against the best direct STOW-RS upload of the same files to
 * another Orthanc (10 instances per request, one keep-alive connection). Both paths are warmed up first (the
 * cold figure is printed too). Prints figures; asserts nothing.
 */
public final class ForwardBenchmark {
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int kib = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        Path dir = TempDirs.create("forward-bench");
        List<Path> warmUp = study(dir.resolve("warm"), count, kib);
        List<Path> study = study(dir.resolve("study"), count, kib);
        long bytes = 0;
        for (Path f : study) {
            bytes += Files.size(f);
        }
        System.out.printf("Study: %d instances, %.1f MiB (dcmtk, %d KiB of pixel data each)%n", count, bytes / 1048576.0, kib);

        OrthancProcess relayTarget = new OrthancProcess();
        OrthancProcess directTarget = new OrthancProcess();
        relayTarget.start();
        directTarget.start();
        ConfigurableApplicationContext app = new SpringApplicationBuilder(RelayPacsApplication.class).properties(
                "relaypacs.data-dir=" + TempDirs.create("forward-bench-data"),
                "relaypacs.admin.password=bench-admin-password",
                "relaypacs.pacs.dicomweb-url=" + relayTarget.dicomWebUrl(),
                "server.port=0",
                "logging.level.root=warn",
                "logging.level.io.relaypacs.forward=" + System.getProperty("forwardLog", "warn")).run();
        try {
            BlobStore store = app.getBean(BlobStore.class);
            ForwardService forward = app.getBean(ForwardService.class);
            System.out.printf("  first study on a cold JVM: RelayPACS %.2f s%n", forwardSeconds(store, forward, warmUp));
            // The JIT compiles AES-GCM (decrypting the transit copies) to its CPU intrinsics only after about a GiB
            // has gone through it (57-90 MB/s before, about 1 GB/s after, on this machine): a server that has run
            // for a while is measured, not a cold one.
            long warmStarted = System.nanoTime();
            long decrypted = 0;
            byte[] buffer = new byte[16384];
            for (int round = 0; round < 15; round++) {
                for (String key : keys(store, warmUp)) {
                    try (InputStream in = store.open(key)) {
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            decrypted += n;
                        }
                    }
                }
            }
            System.out.printf("  warm-up: decrypted %.0f MiB of transit copies in %.1f s%n", decrypted / 1048576.0,
                    (System.nanoTime() - warmStarted) / 1e9);
            directSeconds(directTarget, warmUp);

            double relay = forwardSeconds(store, forward, study);
            int stored = relayTarget.instanceCount() - count;
            List<Double> direct = new ArrayList<>();
            OrthancProcess[] fresh = {directTarget, new OrthancProcess(), new OrthancProcess()};
            for (int run = 0; run < fresh.length; run++) {
                if (run > 0) {
                    fresh[run].start();
                    directSeconds(fresh[run], warmUp); // holds what RelayPACS's Orthanc holds before the study
                }
                direct.add(directSeconds(fresh[run], study));
                if (run > 0) {
                    fresh[run].stop();
                }
            }
            double best = Collections.min(direct);
            System.out.printf("  RelayPACS forward (STOW-RS + lookup + verification): %6.2f s  %6.1f MiB/s  (%d in Orthanc)%n",
                    relay, bytes / 1048576.0 / relay, stored);
            System.out.printf("  direct STOW-RS, 10 per request, keep-alive (best of %d: %s s): %6.2f s  %6.1f MiB/s%n",
                    direct.size(), direct.stream().map(d -> String.format("%.2f", d)).toList(), best, bytes / 1048576.0 / best);
            System.out.printf("  ratio RelayPACS / direct: %.2f%n", relay / best);
        } finally {
            app.close();
            relayTarget.stop();
            directTarget.stop();
        }
    }

    static List<Path> study(Path dir, int count, int kib) throws IOException, InterruptedException {
        String studyUid = SyntheticDicom.newUid();
        String seriesUid = SyntheticDicom.newUid();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(SyntheticDicom.create(dir, kib * 1024, studyUid, seriesUid, "BENCH^PATIENT", "BENCH-1"));
        }
        return files;
    }

    private static final Map<Path, String> KEYS = new HashMap<>();

    static List<String> keys(BlobStore store, List<Path> files) {
        return files.stream().map(KEYS::get).toList();
    }

    /** Puts the files in transit storage (not timed), then times the outbox from queueing to all verified stored. */
    static double forwardSeconds(BlobStore store, ForwardService forward, List<Path> files) throws Exception {
        UUID upload = UUID.randomUUID();
        List<StoredInstance> instances = new ArrayList<>();
        for (Path f : files) {
            String key = "uploads/" + upload + "/" + f.getFileName();
            try (InputStream in = Files.newInputStream(f)) {
                store.put(key, in);
            }
            KEYS.put(f, key);
            instances.add(new StoredInstance(f.getFileName().toString(), key, Files.size(f), new DicomHeader(
                    Dcmtk.value(f, "0008,0016"), Dcmtk.sopInstanceUid(f), Dcmtk.value(f, "0020,000d"),
                    Dcmtk.value(f, "0020,000e"), Dcmtk.value(f, "0002,0010"), null, null, null, null, null)));
        }
        long started = System.nanoTime();
        forward.enqueue(upload, null, instances, List.of());
        ForwardService.Progress p;
        while (!(p = forward.progressOf(upload)).settled()) {
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (p.stored() != files.size()) {
            throw new IllegalStateException("Only " + p.stored() + " of " + files.size() + " stored: " + p);
        }
        return seconds;
    }

    /** STOW-RS of the files from disk, 10 per multipart request, over one keep-alive HTTP/1.1 connection. */
    static double directSeconds(OrthancProcess orthanc, List<Path> files) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long started = System.nanoTime();
        for (int from = 0; from < files.size(); from += 10) {
            List<Path> batch = files.subList(from, Math.min(files.size(), from + 10));
            String boundary = "bench-" + UUID.randomUUID();
            List<InputStream> parts = new ArrayList<>();
            long length = 0;
            for (Path f : batch) {
                byte[] head = ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                parts.add(new ByteArrayInputStream(head));
                parts.add(Files.newInputStream(f));
                parts.add(new ByteArrayInputStream("\r\n".getBytes(StandardCharsets.US_ASCII)));
                length += head.length + Files.size(f) + 2;
            }
            byte[] tail = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
            parts.add(new ByteArrayInputStream(tail));
            length += tail.length;
            HttpRequest request = HttpRequest.newBuilder(URI.create(orthanc.dicomWebUrl() + "/studies"))
                    .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                    .header("Accept", "application/dicom+json")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new SequenceInputStream(Collections.enumeration(parts))), length)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("direct STOW-RS answered " + response.statusCode() + ": " + response.body());
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }
}
