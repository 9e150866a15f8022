package io.relaypacs.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.relaypacs.testsupport.BrowserAppTest;
import io.relaypacs.testsupport.SampleFiles;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app opened with no network (installed PWA or bookmark), in Chromium with the service worker: a device where
 * someone signed in before gets the upload component queuing for them, a tablet its kiosk, anyone else only the
 * "no network" page; what was queued offline is delivered when the network is back, without picking it again.
 */
class OfflineStartIT extends BrowserAppTest {
    private static final LocatorAssertions.HasCountOptions LONG = new LocatorAssertions.HasCountOptions().setTimeout(120_000);

    /** Waits until the upload component has opened its queue (and noted who is signed in on this device). */
    static void uploaderReady(Page page) {
        assertThat(page.evaluate("() => document.querySelector('relay-uploader').opened.then(() => true)")).isEqualTo(true);
    }

    /** Waits until the service worker controls the page and has precached the app (it is then "activated"). */
    static void serviceWorkerReady(Page page) {
        Object state = page.evaluate("() => Promise.race([navigator.serviceWorker.ready.then(async r => {"
                + " while (!navigator.serviceWorker.controller) { await new Promise(res => setTimeout(res, 100)); }"
                + " return r.active.state; }), new Promise(resolve => setTimeout(() => resolve('timeout'), 60000))])");
        assertThat(state).isEqualTo("activated");
    }

    @Test
    void signedInOnceTheAppOpensOfflineQueuesAStudyAndAPhotoAndSendsThemWhenTheNetworkIsBack() throws Exception {
        Path dir = TempDirs.create("offline-start");
        String study = SyntheticDicom.newUid();
        String series = SyntheticDicom.newUid();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            files.add(SyntheticDicom.create(dir, 120_000, study, series, "OFFLINE^MORNING", "OFF-1"));
        }
        Path photo = Files.write(dir.resolve("wound.jpg"), SampleFiles.jpeg(false));
        List<Path> picked = new ArrayList<>(files);
        picked.add(photo);
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844))) {
            Page page = BrowserUploadIT.signIn(context);
            uploaderReady(page);
            serviceWorkerReady(page);

            context.setOffline(true);
            page.reload();
            assertThat(page.locator(".offline-who")).hasText("Queuing as admin — not you? Sign in when the network is back.");
            assertThat(page.locator("relay-uploader .network.off")).isVisible();
            page.setInputFiles("relay-uploader input[data-pick=files]", picked.toArray(Path[]::new));
            assertThat(page.locator("relay-uploader .picked-study")).hasCount(2);
            // picked with the study, the photo joins it: said before sending, no patient to type
            assertThat(page.locator("relay-uploader .joins")).containsText("The photos and documents join this study");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/offline-start-phone.png")).setFullPage(true));
            page.locator("relay-uploader button.send").click();
            assertThat(page.locator("relay-uploader li.file")).hasCount(11);
            page.close();

            Page again = context.newPage(); // the app opened again, still with no network
            again.navigate(app.baseUrl() + "/");
            assertThat(again.locator("relay-uploader li.file")).hasCount(11);
            assertThat(again.locator("relay-uploader .queued-study > .state").first()).hasText("Waiting for network");
            again.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/offline-start-queue-phone.png")).setFullPage(true));

            context.setOffline(false); // the page goes to the app, which sends the queue as the signed-in user
            assertThat(again.getByText("Recent uploads from your clinic")).isVisible(new com.microsoft.playwright.assertions
                    .LocatorAssertions.IsVisibleOptions().setTimeout(30_000));
            assertThat(again.locator("relay-uploader li.file[data-state=done]")).hasCount(11, LONG);
        }
        BrowserUploadIT.assertDeliveredByteForByte(files);
        String studyId = orthanc.get("/instances/" + orthanc.findInstance(BrowserUploadIT.sopInstanceUidOf(files.getFirst()))
                + "/study").body().replaceAll("(?s).*\"ID\" : \"([^\"]+)\".*", "$1");
        assertThat(orthanc.get("/studies/" + studyId + "/series").body()).as("the photo, made DICOM in the study it joined")
                .contains("\"Modality\" : \"XC\"");
    }

    @Test
    void aTabletStartsItsKioskOfflineAndSendsWhenTheNetworkIsBack() throws Exception {
        Path study = SyntheticDicom.create(TempDirs.create("offline-kiosk"), 150_000, SyntheticDicom.newUid(),
                SyntheticDicom.newUid(), "OFFLINE^KIOSK", "OFF-K");
        try (BrowserContext admin = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 1000));
             BrowserContext tablet = browser.newContext(new Browser.NewContextOptions().setViewportSize(1024, 768))) {
            Page desk = BrowserUploadIT.signIn(admin);
            desk.navigate(app.baseUrl() + "/admin/users");
            desk.getByText("Set up a tablet").first().click();
            String setup = desk.locator("#kiosk-setup-link").getAttribute("href");

            Page kiosk = tablet.newPage();
            kiosk.navigate(setup);
            kiosk.waitForURL("**/kiosk");
            assertThat(kiosk.locator("relay-uploader[kiosk] .pick")).isVisible();
            uploaderReady(kiosk);
            serviceWorkerReady(kiosk);

            tablet.setOffline(true);
            kiosk.reload();
            assertThat(kiosk.locator("h1")).hasText("Head office");
            assertThat(kiosk.locator("relay-uploader[kiosk]")).isVisible();
            assertThat(kiosk.locator("relay-uploader .pick .button").first().boundingBox().height).isGreaterThanOrEqualTo(88);
            kiosk.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/offline-start-kiosk.png")));
            kiosk.setInputFiles("relay-uploader input[data-pick=files]", study);
            kiosk.locator("relay-uploader button.send").click();
            assertThat(kiosk.locator("relay-uploader li.file")).hasCount(1);

            tablet.setOffline(false);
            // Delivered by the app once it is back, or already by the service worker's Background Sync (Chromium's
            // emulated offline holds the page, not the service worker): either way it reaches the PACS, and the
            // kiosk clears it for the next patient.
            String uid = BrowserUploadIT.sopInstanceUidOf(study);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (orthanc.findInstance(uid) == null && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertThat(kiosk.locator("relay-uploader li.file")).hasCount(0, LONG);
        }
        BrowserUploadIT.assertDeliveredByteForByte(List.of(study));
    }

    @Test
    void aBrowserWhereNobodySignedInShowsOnlyTheNoNetworkPage() {
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844))) {
            Page page = context.newPage();
            page.navigate(app.baseUrl() + "/login");
            serviceWorkerReady(page);
            context.setOffline(true);
            page.navigate(app.baseUrl() + "/");
            assertThat(page.getByText("No network right now")).isVisible();
            assertThat(page.locator("relay-uploader")).hasCount(0);
            assertThat(page.locator("input[type=file]")).hasCount(0);
        }
    }
}
