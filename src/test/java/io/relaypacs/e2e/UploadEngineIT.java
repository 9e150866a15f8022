package io.relaypacs.e2e;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.relaypacs.testsupport.BrowserAppTest;
import io.relaypacs.testsupport.SampleFiles;
import io.relaypacs.testsupport.SamplePdfs;
import io.relaypacs.testsupport.TempDirs;
import io.relaypacs.testsupport.ThrottlingProxy;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.relaypacs.e2e.BrowserUploadIT.assertDeliveredByteForByte;
import static io.relaypacs.e2e.BrowserUploadIT.sopInstanceUidOf;
import static io.relaypacs.e2e.BrowserUploadIT.syntheticFiles;
import static io.relaypacs.e2e.BrowserUploadIT.throttle;
import static org.assertj.core.api.Assertions.assertThat;

/** The browser queue's promises beyond plain resuming: a bad link, two tabs, sign-out, the app closed, photos. */
class UploadEngineIT extends BrowserAppTest {

    static Page signIn(BrowserContext context, String baseUrl) {
        Page page = context.newPage();
        page.setDefaultTimeout(60_000);
        page.navigate(baseUrl + "/login");
        page.locator("input[name=username]").fill("admin");
        page.locator("input[name=password]").fill(ADMIN_PASSWORD);
        page.locator("vaadin-login-form vaadin-button").first().click();
        // The first view after a cold start on a busy 2-core machine can take longer than the 5 s default.
        assertThat(page.locator("relay-uploader .pick")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(20_000));
        return page;
    }

    static LocatorAssertions.HasCountOptions within(int seconds) {
        return new LocatorAssertions.HasCountOptions().setTimeout(seconds * 1000.0);
    }

    @Test
    void aTwentyMegabyteFileGetsThroughA1MbitLinkCutEvery30SecondsWithLittleResent() throws Exception {
        List<Path> files = syntheticFiles(1, 20_000_000);
        long fileBytes = Files.size(files.getFirst());
        try (ThrottlingProxy link = new ThrottlingProxy(Integer.parseInt(app.baseUrl().replaceAll(".*:", "")), 125_000);
             BrowserContext context = browser.newContext()) {
            Page page = signIn(context, link.baseUrl());
            page.setInputFiles("relay-uploader input[data-pick=files]", files.toArray(Path[]::new));
            assertThat(page.locator("relay-uploader button.send")).isVisible();
            long upBefore = link.bytesUp();
            long started = System.nanoTime();
            link.cutEvery(Duration.ofSeconds(30));
            page.locator("relay-uploader button.send").click();
            assertThat(page.locator("relay-uploader li.file[data-state=done]")).hasCount(1, within(600));
            double seconds = (System.nanoTime() - started) / 1e9;
            long onTheWire = link.bytesUp() - upBefore;
            System.out.printf("throttled link: %d file bytes, %d bytes up on the wire, ratio %.4f, %d cuts, %.0f s (%.0f kbit/s of file)%n",
                    fileBytes, onTheWire, (double) onTheWire / fileBytes, link.cuts(), seconds, fileBytes * 8 / seconds / 1000);
            assertThat(link.cuts()).as("the link was cut during the upload").isGreaterThanOrEqualTo(4);
            assertThat((double) onTheWire / fileBytes).isLessThan(1.06);
        }
        assertDeliveredByteForByte(files);
    }

    @Test
    void twoTabsShareTheQueueWithoutSendingAnyFileOrChunkTwice() throws Exception {
        List<Path> files = syntheticFiles(6, 1_500_000);
        BrowserUploadIT.ChunkPuts puts = new BrowserUploadIT.ChunkPuts();
        AtomicInteger inits = new AtomicInteger();
        try (BrowserContext context = browser.newContext()) {
            context.onRequest(r -> {
                puts.record(r);
                if (r.url().endsWith("/api/upload/init")) {
                    inits.incrementAndGet();
                }
            });
            Page first = signIn(context, app.baseUrl());
            throttle(context.newCDPSession(first), 1_000_000);
            first.setInputFiles("relay-uploader input[data-pick=files]", files.toArray(Path[]::new));
            first.locator("relay-uploader button.send").click();
            Page second = context.newPage();
            second.navigate(app.baseUrl() + "/");
            throttle(context.newCDPSession(second), 1_000_000);
            // the second tab loads the app while the first one encrypts the files into IndexedDB: allow it time
            assertThat(second.locator("relay-uploader li.file")).hasCount(6, within(30));
            assertThat(first.locator("relay-uploader li.file[data-state=done]")).hasCount(6, within(120));
            assertThat(second.locator("relay-uploader li.file[data-state=done]")).hasCount(6, within(30));
        }
        System.out.printf("two tabs: %d inits for 6 files, %d chunk PUTs, %d distinct%n", inits.get(), puts.total(), puts.distinct());
        assertThat(inits.get()).isEqualTo(6);
        assertThat(puts.repeated()).isZero();
        assertDeliveredByteForByte(files);
    }

    @Test
    void signingOutWithFilesStillQueuedWarnsFirstThenWipesTheDevice() throws Exception {
        List<Path> files = syntheticFiles(1, 3_000_000);
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1024, 768))) {
            Page page = signIn(context, app.baseUrl());
            throttle(context.newCDPSession(page), 20_000); // slow enough to sign out mid-upload
            page.setInputFiles("relay-uploader input[data-pick=files]", files.toArray(Path[]::new));
            page.locator("relay-uploader button.send").click();
            assertThat(page.locator("relay-uploader li.file")).hasCount(1);

            page.locator("vaadin-button.touch-target:has-text('Sign out')").click();
            assertThat(page.getByText("1 file has not reached the PACS yet")).isVisible();
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/sign-out-warning.png")));
            page.getByText("Stay signed in").click();
            // the warning is gone (a closed dialog may linger in the page until the server removes it)
            assertThat(page.locator("vaadin-confirm-dialog[opened]")).hasCount(0);
            assertThat(page.locator("relay-uploader li.file")).hasCount(1);

            // A click while the last warning is still fading out may not reach the button: click again, as a user would.
            Locator delete = page.locator("vaadin-confirm-dialog[opened] vaadin-button[slot=reject-button]").first();
            for (int attempt = 1; !delete.isVisible() && attempt <= 5; attempt++) {
                page.locator("vaadin-button.touch-target:has-text('Sign out')").click();
                try {
                    delete.waitFor(new Locator.WaitForOptions().setTimeout(5_000));
                } catch (TimeoutError notYet) {
                    // the warning did not open: try the button again
                }
            }
            assertThat(delete).containsText("Delete and sign out");
            delete.click();
            page.waitForURL("**/login");
            Object left = page.evaluate("""
                    () => new Promise((resolve, reject) => {
                      const r = indexedDB.open('relaypacs-queue');
                      r.onsuccess = () => {
                        const tx = r.result.transaction(['files', 'chunks', 'settings']);
                        const counts = ['files', 'chunks'].map((s) => tx.objectStore(s).count());
                        const settings = tx.objectStore('settings').getAllKeys();
                        tx.oncomplete = () => resolve(counts.map((c) => c.result).join(',') + ' ' + settings.result.sort().join(','));
                      };
                      r.onerror = () => reject(r.error);
                    })""");
            // no file, piece, key or token of the user is left; only device settings that name nobody
            assertThat((String) left).as("files, chunks and settings left on the device").startsWith("0,0 ")
                    .doesNotContain("key:").doesNotContain("current").contains("maxAgeMs");
        }
    }

    @Test
    void theServiceWorkerSendsTheQueueWithTheAppClosed() throws Exception {
        List<Path> files = BrowserUploadIT.syntheticStudy(2, 800_000);
        try (BrowserContext context = browser.newContext()) {
            Page page = signIn(context, app.baseUrl());
            page.evaluate("() => navigator.serviceWorker.ready.then(() => true)");
            context.setOffline(true);
            page.setInputFiles("relay-uploader input[data-pick=files]", files.toArray(Path[]::new));
            page.locator("relay-uploader button.send").click();
            assertThat(page.locator("relay-uploader .queued-study > .state")).hasText("Waiting for network");
            // Closing the app while a file is still being copied in would leave it to be picked again (by design).
            assertThat(page.locator("relay-uploader li.file:not([data-state=adding])")).hasCount(2);
            page.navigate("about:blank"); // the app is closed; the queue and the service worker remain
            context.setOffline(false);

            CDPSession cdp = context.newCDPSession(page);
            JsonObject[] registration = new JsonObject[1];
            cdp.on("ServiceWorker.workerRegistrationUpdated", event -> event.getAsJsonArray("registrations")
                    .forEach(r -> registration[0] = r.getAsJsonObject()));
            cdp.send("ServiceWorker.enable");
            page.waitForCondition(() -> registration[0] != null);
            JsonObject sync = new JsonObject();
            sync.addProperty("origin", app.baseUrl());
            sync.addProperty("registrationId", registration[0].get("registrationId").getAsString());
            sync.addProperty("tag", "relaypacs-upload");
            sync.addProperty("lastChance", false);
            // As the browser would on a flaky network, the sync fires again until the queue is through (a run that
            // finds the files locked by another run leaves them to it).
            long deadline = System.currentTimeMillis() + 60_000;
            long nextSync = 0;
            while (!allInOrthanc(files) && System.currentTimeMillis() < deadline) {
                if (System.currentTimeMillis() >= nextSync) {
                    cdp.send("ServiceWorker.dispatchSyncEvent", sync);
                    nextSync = System.currentTimeMillis() + 10_000;
                }
                Thread.sleep(500);
            }
            if (!allInOrthanc(files)) {
                Page look = context.newPage();
                look.navigate(app.baseUrl() + "/");
                look.waitForTimeout(3000);
                System.out.println("queue after the syncs: " + look.evaluate(
                        "() => document.querySelector('relay-uploader')?.shadowRoot?.textContent.replace(/\\s+/g, ' ')"));
            }
            assertDeliveredByteForByte(files);

            Page again = context.newPage();
            again.navigate(app.baseUrl() + "/");
            assertThat(again.locator("relay-uploader li.file[data-state=done]")).hasCount(2, within(30));
        }
    }

    @Test
    void aPhotoFromTheCameraGoesThroughTheSameQueueAndArrivesAsDicomOfThePatientEntered() throws Exception {
        Path photo = Files.write(TempDirs.create("photo").resolve("wound.jpg"), SampleFiles.jpeg(false));
        String patientId = "RP-CAM-" + System.nanoTime();
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844))) {
            Page page = signIn(context, app.baseUrl());
            page.setInputFiles("relay-uploader input[data-pick=camera]", photo);
            assertThat(page.locator("relay-uploader .picked-study[data-kind=photo]")).containsText("Photos");
            page.locator("relay-uploader button.send").click();
            assertThat(page.locator("relay-uploader .notice")).containsText("Enter the patient's name and ID");
            page.locator("relay-uploader input[data-patient=name]").fill("Doe, Jane");
            page.locator("relay-uploader input[data-patient=id]").fill(patientId);
            page.locator("relay-uploader input[data-patient=study_description]").fill("Wound, left leg");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/uploader-photo-form-phone.png")).setFullPage(true));
            page.locator("relay-uploader button.send").click();
            assertThat(page.locator("relay-uploader li.file[data-state=done]")).hasCount(1, within(60));
            assertThat(page.locator("relay-uploader .queued-study > .state")).containsText("Delivered to the PACS");
        }
        String found = orthanc.findPatientInstance(patientId);
        assertThat(found).as("a DICOM instance of patient %s in Orthanc", patientId).isNotNull();
        assertThat(orthanc.get("/instances/" + found + "/simplified-tags").body()).contains("Doe^Jane").contains("Wound, left leg");
    }

    @Test
    void aPhotoAndAReferralLetterPickedWithACtJoinItsStudy() throws Exception {
        Path dir = TempDirs.create("join");
        Path ct = dir.resolve("ct.dcm");
        Files.copy(Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm"), ct);
        new ProcessBuilder("dcmodify", "-nb", "-gin", "-gst", "-gse", "-i", "PatientID=RP-JOIN-" + System.nanoTime(), ct.toString())
                .start().waitFor();
        Path photo = Files.write(dir.resolve("wound.jpg"), SampleFiles.jpeg(false));
        Path letter = Files.write(dir.resolve("Referral letter.pdf"), SamplePdfs.letter());
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844))) {
            Page page = signIn(context, app.baseUrl());
            page.setInputFiles("relay-uploader input[data-pick=files]", new Path[] {ct, photo, letter});
            assertThat(page.locator("relay-uploader .joins")).containsText("The photos and documents join this study");
            assertThat(page.locator("relay-uploader fieldset.patient")).hasCount(0);
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/uploader-join-study-phone.png")).setFullPage(true));
            page.locator("relay-uploader button.send").click();
            assertThat(page.locator("relay-uploader li.file[data-state=done]")).hasCount(3, within(90));
        }
        String ctStudy = orthanc.get("/instances/" + orthanc.findInstance(sopInstanceUidOf(ct)) + "/study").body()
                .replaceAll("(?s).*\"ID\" : \"([^\"]+)\".*", "$1");
        String series = orthanc.get("/studies/" + ctStudy + "/series").body();
        assertThat(series).as("CT, photo and letter in one study").contains("\"Modality\" : \"CT\"")
                .contains("\"Modality\" : \"XC\"").contains("\"Modality\" : \"DOC\"");
    }

    private static boolean allInOrthanc(List<Path> files) throws Exception {
        for (Path f : files) {
            if (orthanc.findInstance(sopInstanceUidOf(f)) == null) {
                return false;
            }
        }
        return true;
    }
}
