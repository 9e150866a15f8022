package io.relaypacs.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.AppProcess;
import io.relaypacs.testsupport.Balancer;
import io.relaypacs.testsupport.Chromium;
import io.relaypacs.testsupport.Cluster;
import io.relaypacs.testsupport.Dcmtk;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.PostgresAvailable;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import io.relaypacs.testsupport.ThrottlingProxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three packaged instances on one PostgreSQL database and one S3 store (s3proxy), behind nginx, forwarding to a real
 * Orthanc through a link that counts its bytes. A 60-file study is uploaded with its requests spread over the
 * instances; one instance is killed (SIGKILL) mid-upload and another mid-forward, and both are started again while
 * the client goes on through the balancer. Everything arrives once and byte for byte, the sign-in limit holds across
 * the instances, the purge (one instance at a time, nothing twice) and the expiry of an abandoned upload (once) happen, a browser sends through the
 * balancer and another instance's dashboard shows it, and SIGTERM stops an instance gracefully.
 */
@ExtendWith(PostgresAvailable.class)
class ClusterIT {
    static final int FILES = 60;
    static final int CHUNK = 64 * 1024;
    static final int BATCH = 10;

    @RegisterExtension
    static final OrthancProcess orthanc = new OrthancProcess();
    @RegisterExtension
    static final S3ProxyExtension s3 = S3ProxyExtension.builder()
            .withCredentials(AuthenticationType.AWS_V2_OR_V4, "cluster-access", "cluster-secret")
            .withBlobStoreProvider("transient").build();

    @Test
    void threeInstancesBehindABalancerDeliverAStudyOnceThroughCrashesAndShareTheirLimitsAndJobs() throws Exception {
        try (ThrottlingProxy link = new ThrottlingProxy(URI.create(orthanc.baseUrl()).getPort(), 400_000);
             Cluster cluster = new Cluster(s3.getUri(), "cluster-access", "cluster-secret", List.of("-Xmx384m"),
                     settings(link)).start(3)) {
            Balancer balancer = cluster.balancer();
            ApiClient api = new ApiClient(balancer.apiUrl());
            assertThat(retrying(() -> api.login("admin", Cluster.ADMIN_PASSWORD)).status()).isEqualTo(200);

            wrongSignInsAreLimitedOnceForAllInstances(balancer);

            String abandoned = api.init("abandoned.dcm", CHUNK * 2L, null, CHUNK).json().path("upload_id").asString();
            assertThat(retrying(() -> api.putChunk(abandoned, 0, new byte[CHUNK])).status()).isEqualTo(201);

            Path dir = TempDirs.create("cluster-study");
            String study = SyntheticDicom.newUid();
            String series = SyntheticDicom.newUid();
            Map<String, Path> uploads = new LinkedHashMap<>();
            CompletableFuture<AppProcess> restartedAfterUploadKill = null;
            CompletableFuture<AppProcess> restartedAfterForwardKill = null;
            for (int i = 0; i < FILES; i++) {
                Path file = SyntheticDicom.create(dir, 150_000, study, series, "CLUSTER^TEST", "C-1");
                uploads.put(upload(api, file), file);
                if (i == FILES / 3) {
                    cluster.instance(0).kill(); // mid-upload: the next requests meet a dead instance
                    restartedAfterUploadKill = cluster.startAsync(0);
                }
                if (restartedAfterForwardKill == null && orthanc.instanceCount() >= BATCH) {
                    restartedAfterForwardKill = killMidForward(cluster, 1);
                }
            }
            while (restartedAfterForwardKill == null) {
                if (orthanc.instanceCount() >= BATCH) {
                    restartedAfterForwardKill = killMidForward(cluster, 1);
                }
                Thread.sleep(20);
            }
            restartedAfterUploadKill.join();
            restartedAfterForwardKill.join();

            for (String id : uploads.keySet()) {
                JsonNode done = awaitFinal(api, id);
                assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("DONE");
                assertThat(done.path("instances")).singleElement()
                        .satisfies(instance -> assertThat(instance.path("state").asString()).isEqualTo("STORED"));
            }
            assertThat(orthanc.instanceCount()).as("each instance once").isEqualTo(FILES);
            long bytes = 0;
            long largest = 0;
            for (Path file : uploads.values()) {
                String id = orthanc.findInstance(Dcmtk.sopInstanceUid(file));
                assertThat(orthanc.getBytes("/instances/" + id + "/file")).isEqualTo(Files.readAllBytes(file));
                bytes += Files.size(file);
                largest = Math.max(largest, Files.size(file));
            }
            System.out.printf("cluster: %d bytes up to the PACS for %d bytes of instances (%.3f)%n", link.bytesUp(),
                    bytes, link.bytesUp() / (double) bytes);
            assertThat(link.bytesUp()).as("the study, a batch in flight at each kill, and request overhead")
                    .isLessThan(bytes + 2 * BATCH * largest + bytes / 20);

            assertThat(awaitFinal(api, abandoned).path("state").asString()).isEqualTo("EXPIRED");
            assertThat(auditRows(cluster, "UPLOAD_EXPIRED", abandoned)).as("expired once, by one instance").isEqualTo(1);
            int finished = awaitEveryFinishedUploadPurged(cluster);
            assertThat(finished).as("delivered and expired uploads").isGreaterThanOrEqualTo(FILES + 1);
            // A purge audits its counts when it ends, so one killed mid-run leaves its uploads purged but uncounted:
            // the counts may fall short, never over (an upload purged twice would be counted twice).
            assertThat(sumOfPurged(cluster)).as("purges counted, one instance at a time").isBetween(1, finished);

            aBrowserSendsThroughTheBalancerAndAnotherInstancesDashboardShowsIt(cluster);

            cluster.instance(2).terminate();
            assertThat(cluster.instance(2).tail()).as("a SIGTERM stops the instance gracefully")
                    .contains("Graceful shutdown complete");
        }
    }

    /**
     * In Chromium through the balancer's sticky port: sign in, send a file, see it delivered; then the dashboard of
     * another instance (reached directly) counts it, since the figures come from the shared database.
     */
    private void aBrowserSendsThroughTheBalancerAndAnotherInstancesDashboardShowsIt(Cluster cluster) throws Exception {
        Balancer balancer = cluster.balancer();
        Path file = SyntheticDicom.create(TempDirs.create("cluster-browser"), 200_000);
        try (Playwright playwright = Playwright.create(); Browser browser = Chromium.launch(playwright)) {
            Page page = browser.newContext().newPage();
            signIn(page, balancer.uiUrl());
            page.setInputFiles("relay-uploader input[data-pick=files]", file);
            page.locator("relay-uploader button.send").click();
            PlaywrightAssertions.assertThat(page.locator("relay-uploader li.file[data-state=done]"))
                    .hasCount(1, new LocatorAssertions.HasCountOptions().setTimeout(120_000));

            String uiPort = String.valueOf(URI.create(balancer.uiUrl()).getPort());
            Map<String, Long> served = balancer.upstreamsSeen().stream().map(l -> l.split(" "))
                    .filter(f -> f[f.length - 1].equals(uiPort)).map(f -> f[0].replace(",", ""))
                    .collect(Collectors.groupingBy(u -> u, Collectors.counting()));
            String uiInstance = served.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            AppProcess other = cluster.instances().stream().filter(a -> !uiInstance.endsWith(":" + a.port())).findFirst().orElseThrow();

            Page dashboard = browser.newContext().newPage();
            signIn(dashboard, other.baseUrl());
            dashboard.navigate(other.baseUrl() + "/admin");
            PlaywrightAssertions.assertThat(dashboard.locator(".counter[data-state=DONE] span").first())
                    .hasText(String.valueOf(countUploads(cluster, "DONE")));
            assertThat(countUploads(cluster, "DONE")).isEqualTo(FILES + 1);
        }
    }

    private static void signIn(Page page, String base) {
        page.navigate(base + "/login");
        page.locator("input[name=username]").fill("admin");
        page.locator("input[name=password]").fill(Cluster.ADMIN_PASSWORD);
        page.locator("vaadin-button[slot=submit], vaadin-login-form vaadin-button").first().click();
        PlaywrightAssertions.assertThat(page.getByText("Recent uploads from your clinic")).isVisible();
    }

    private static int countUploads(Cluster cluster, String state) throws Exception {
        try (Connection c = cluster.database();
             PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM upload WHERE state = ?")) {
            q.setString(1, state);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** 10 sign-in attempts per user name and minute, counted once for all instances: the 11th is refused. */
    private void wrongSignInsAreLimitedOnceForAllInstances(Balancer balancer) throws Exception {
        ApiClient guesser = new ApiClient(balancer.apiUrl());
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            statuses.add(guesser.login("radiographer", "guess-" + i).status());
        }
        assertThat(statuses.subList(0, 10)).containsOnly(401);
        assertThat(statuses.get(10)).isEqualTo(429);
        long instancesAsked = balancer.upstreamsSeen().stream().filter(l -> l.contains("/api/auth/login"))
                .map(l -> l.split(" ")[0]).distinct().count();
        assertThat(instancesAsked).as("the attempts were spread over the instances").isEqualTo(3);
    }

    private static Map<String, String> settings(ThrottlingProxy link) {
        Map<String, String> env = new HashMap<>();
        env.put("RELAYPACS_PACS_DICOMWEB_URL", link.baseUrl() + "/dicom-web");
        env.put("RELAYPACS_FORWARD_BATCH_SIZE", String.valueOf(BATCH));
        env.put("RELAYPACS_FORWARD_LANES", "1"); // one batch in flight per instance: the resend bound below stays tight
        // A crashed instance's claims are taken over quickly here (minutes in production).
        env.put("RELAYPACS_FORWARD_STALE_AFTER", "3s");
        env.put("RELAYPACS_PIPELINE_STALE_AFTER", "3s");
        env.put("RELAYPACS_PIPELINE_SAFETY_NET_INTERVAL", "1s");
        env.put("RELAYPACS_FORWARD_POLL_INTERVAL", "1s");
        env.put("RELAYPACS_UPLOAD_EXPIRE_AFTER", "40s");
        env.put("RELAYPACS_UPLOAD_EXPIRY_CHECK_INTERVAL", "1s");
        env.put("RELAYPACS_RETENTION_INTERVAL", "1s");
        // An instance killed while it purges holds the purge up for this long (a minute in production).
        env.put("RELAYPACS_RETENTION_LEASE", "5s");
        return env;
    }

    /** One file as the browser sends it: declared, its 64 KiB chunks, completed; each request retried as the client does. */
    private static String upload(ApiClient api, Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        ApiClient.Response init = retrying(() -> api.init(file.getFileName().toString(), bytes.length,
                ApiClient.sha256Hex(bytes), CHUNK));
        assertThat(init.status()).as(init.body()).isEqualTo(201);
        String id = init.json().path("upload_id").asString();
        for (int i = 0; i * CHUNK < bytes.length; i++) {
            byte[] chunk = Arrays.copyOfRange(bytes, i * CHUNK, Math.min(bytes.length, (i + 1) * CHUNK));
            int index = i;
            ApiClient.Response put = retrying(() -> api.putChunk(id, index, chunk));
            assertThat(put.status()).as(put.body()).isIn(201, 204);
        }
        ApiClient.Response complete = retrying(() -> api.complete(id));
        assertThat(complete.status()).as(complete.body()).isEqualTo(202);
        return id;
    }

    private static JsonNode awaitFinal(ApiClient api, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        JsonNode last;
        do {
            last = retrying(() -> api.status(id)).json();
            String state = last.path("state").asString();
            if (state.equals("DONE") || state.equals("FAILED") || state.equals("EXPIRED")) {
                return last;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return last;
    }

    interface Call {
        ApiClient.Response run() throws IOException, InterruptedException;
    }

    /** As the browser's sender: a request that met a dead or restarting instance (502-504, no answer) is sent again. */
    private static ApiClient.Response retrying(Call call) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try {
                ApiClient.Response r = call.run();
                if (r.status() < 502 || r.status() > 504 || System.nanoTime() > deadline) {
                    return r;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(250);
        }
    }

    private static int auditRows(Cluster cluster, String type, String uploadId) throws Exception {
        try (Connection c = cluster.database();
             PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM audit_event WHERE type = ? AND upload_id = ?")) {
            q.setString(1, type);
            q.setObject(2, UUID.fromString(uploadId));
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** Waits until no delivered or expired upload keeps its transit data; returns how many are finished. */
    private static int awaitEveryFinishedUploadPurged(Cluster cluster) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (count(cluster, "SELECT COUNT(*) FROM upload WHERE state IN ('DONE', 'EXPIRED') AND purged_at IS NULL") > 0
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertThat(count(cluster, "SELECT COUNT(*) FROM upload WHERE state IN ('DONE', 'EXPIRED') AND purged_at IS NULL"))
                .as("finished uploads not purged").isZero();
        Thread.sleep(3000); // several more rounds on every instance: nothing is purged a second time
        return finishedUploads(cluster);
    }

    private static int count(Cluster cluster, String sql) throws Exception {
        try (Connection c = cluster.database(); ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }

    private static int finishedUploads(Cluster cluster) throws Exception {
        try (Connection c = cluster.database();
             ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM upload WHERE state IN ('DONE', 'EXPIRED')")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** Kills the instance while instances are on their way to the PACS, and starts it again. */
    private static CompletableFuture<AppProcess> killMidForward(Cluster cluster, int instance) throws Exception {
        assertThat(orthanc.instanceCount()).as("the study is still being forwarded").isLessThan(FILES);
        cluster.instance(instance).kill();
        return cluster.startAsync(instance);
    }

    private static int sumOfPurged(Cluster cluster) throws Exception {
        Pattern finished = Pattern.compile("\"finished\":(\\d+)");
        int sum = 0;
        try (Connection c = cluster.database();
             ResultSet r = c.createStatement().executeQuery("SELECT detail FROM audit_event WHERE type = 'PURGE'")) {
            while (r.next()) {
                Matcher m = finished.matcher(r.getString(1));
                if (m.find()) {
                    sum += Integer.parseInt(m.group(1));
                }
            }
        }
        return sum;
    }
}
