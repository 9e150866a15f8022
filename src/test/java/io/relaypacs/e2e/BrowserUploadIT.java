package io.relaypacs.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.google.gson.JsonObject;
import io.relaypacs.testsupport.BrowserAppTest;
import io.relaypacs.testsupport.Chromium;
import io.relaypacs.testsupport.SampleDicom;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The browser upload engine in real Chromium against the packaged jar and a real Orthanc. */
class BrowserUploadIT extends BrowserAppTest {

    static Page signIn(BrowserContext context) {
        Page page = context.newPage();
        page.navigate(app.baseUrl() + "/login");
        page.locator("input[name=username]").fill("admin");
        page.locator("input[name=password]").fill(ADMIN_PASSWORD);
        page.locator("vaadin-login-form vaadin-button").first().click();
        assertThat(page.locator("relay-uploader .pick")).isVisible();
        return page;
    }

    /** Throttles the page's uploads (Chromium DevTools protocol), so that faults land mid-transfer. */
    static void throttle(CDPSession cdp, double bytesPerSecond) {
        JsonObject conditions = new JsonObject();
        conditions.addProperty("offline", false);
        conditions.addProperty("latency", 5);
        conditions.addProperty("downloadThroughput", -1);
        conditions.addProperty("uploadThroughput", bytesPerSecond);
        cdp.send("Network.emulateNetworkConditions", conditions);
    }

    static void assertDeliveredByteForByte(List<Path> files) throws Exception {
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            String sop = sopInstanceUidOf(f);
            String id = orthanc.findInstance(sop);
            assertThat(id).as("%s in Orthanc", f.getFileName()).isNotNull();
            assertThat(orthanc.getBytes("/instances/" + id + "/file")).isEqualTo(bytes);
        }
    }

    /** The SOP Instance UID as dcmtk's dcmdump reads it. */
    static String sopInstanceUidOf(Path file) throws Exception {
        Process p = new ProcessBuilder("dcmdump", "+P", "0008,0018", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out.replaceAll("(?s).*\\[([0-9.]+)\\].*", "$1").trim();
    }

    @Test
    void pickedFilesAreSentWithOneActionAndArriveInThePacs() throws Exception {
        Path dir = TempDirs.create("pick");
        List<Path> files = List.of(Files.copy(SampleDicom.ctSmall(), dir.resolve("CT_small.dcm")),
                SyntheticDicom.create(dir, 300_000), SyntheticDicom.create(dir, 2_500_000));
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844))) {
            Page page = signIn(context);
            page.setInputFiles("relay-uploader input[data-pick=files]", files.toArray(Path[]::new));
            page.locator("relay-uploader button.send").click();
            assertThat(page.locator("relay-uploader li.file[data-state=done]")).hasCount(3,
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(60_000));
            assertThat(page.locator("relay-uploader li.file").first()).containsText("Delivered to the PACS");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/uploader-done-phone.png")).setFullPage(true));
        }
        assertDeliveredByteForByte(files);
    }

    @Test
    void offlineThreeTimesAndAReloadMidUploadLoseNothingAndResendAlmostNothing() throws Exception {
        List<Path> files = syntheticFiles(4, 6_000_000);
        long chunks = chunkCount(files);
        try (BrowserContext context = browser.newContext()) {
            Page page = signIn(context);
            AtomicInteger chunkPuts = new AtomicInteger();
            page.onRequest(r -> {
                if (r.method().equals("PUT") && r.url().contains("/chunk?index=")) {
                    chunkPuts.incrementAndGet();
                }
            });
            CDPSession cdp = context.newCDPSession(page);
            throttle(cdp, 1_000_000);
            page.setInputFiles("relay-uploader input[data-pick=files]", files.toArray(Path[]::new));
            page.locator("relay-uploader button.send").click();

            for (int outage = 0; outage < 3; outage++) {
                page.waitForTimeout(1500);
                int putsBefore = chunkPuts.get();
                context.setOffline(true);
                assertThat(page.locator("relay-uploader .network.off")).isVisible();
                System.out.printf("outage %d after %d chunk PUTs%n", outage + 1, putsBefore);
                page.waitForTimeout(1500);
                context.setOffline(false);
                throttle(cdp, 1_000_000);
            }
            page.waitForTimeout(1000);
            int doneBeforeReload = page.locator("relay-uploader li.file[data-state=done]").count();
            int putsBeforeReload = chunkPuts.get();
            System.out.printf("before reload: %d of 4 files done, %d chunk PUTs%n", doneBeforeReload, putsBeforeReload);
            assertThat(doneBeforeReload).as("the reload happens mid-upload").isLessThan(4);
            page.reload(); // mid-upload: the queue lives in IndexedDB, nothing needs picking again
            cdp = context.newCDPSession(page);
            throttle(cdp, 1_000_000);
            try {
                assertThat(page.locator("relay-uploader li.file[data-state=done]")).hasCount(4,
                        new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(120_000));
            } finally {
                System.out.println("uploader at the end: " + page.evaluate("() => (document.querySelector('relay-uploader')?.shadowRoot?.textContent ?? 'none').replace(/\\s+/g, ' ')"));
            }
            System.out.printf("chunk PUTs: %d for %d chunks%n", chunkPuts.get(), chunks);
            // At most the chunks in flight at each interruption (2 files x 3 in parallel) are sent again.
            assertThat(chunkPuts.get()).isLessThanOrEqualTo((int) chunks + 4 * 6);
        }
        assertDeliveredByteForByte(files);
    }

    @Test
    void closingTheBrowserMidUploadAndOpeningItAgainResumesWithoutPickingTheFilesAgain() throws Exception {
        List<Path> files = syntheticFiles(3, 4_000_000);
        long chunks = chunkCount(files);
        Path profile = TempDirs.create("chromium-profile");
        AtomicInteger chunkPuts = new AtomicInteger();
        int putsBeforeClose;
        try (BrowserContext first = Chromium.launchPersistent(playwright, profile)) {
            Page page = signIn(first);
            page.onRequest(r -> countChunkPut(r, chunkPuts));
            throttle(first.newCDPSession(page), 1_000_000);
            page.setInputFiles("relay-uploader input[data-pick=files]", files.toArray(Path[]::new));
            page.locator("relay-uploader button.send").click();
            page.waitForCondition(() -> chunkPuts.get() >= 4);
            putsBeforeClose = chunkPuts.get();
        } // the browser is closed mid-upload
        assertThat(putsBeforeClose).isLessThan((int) chunks);

        try (BrowserContext second = Chromium.launchPersistent(playwright, profile)) {
            Page page = signIn(second); // the sign-in does not outlive the browser; the queue does
            page.onRequest(r -> countChunkPut(r, chunkPuts));
            assertThat(page.locator("relay-uploader li.file[data-state=done]")).hasCount(3,
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(120_000));
        }
        System.out.printf("reopen: %d chunk PUTs for %d chunks (%d before the browser closed)%n", chunkPuts.get(), chunks, putsBeforeClose);
        assertThat(chunkPuts.get()).isLessThanOrEqualTo((int) chunks + 6);
        assertDeliveredByteForByte(files);
    }

    static List<Path> syntheticFiles(int count, int approxBytes) throws Exception {
        Path dir = TempDirs.create("synthetic");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(SyntheticDicom.create(dir, approxBytes));
        }
        return files;
    }

    /** Chunks of 1 MiB, as the uploader cuts them. */
    static long chunkCount(List<Path> files) throws Exception {
        long chunks = 0;
        for (Path f : files) {
            chunks += (Files.size(f) + 1024 * 1024 - 1) / (1024 * 1024);
        }
        return chunks;
    }

    static void countChunkPut(com.microsoft.playwright.Request r, AtomicInteger count) {
        if (r.method().equals("PUT") && r.url().contains("/chunk?index=")) {
            count.incrementAndGet();
        }
    }
}
