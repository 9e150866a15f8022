package io.relaypacs.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.relaypacs.testsupport.BrowserAppTest;
import io.relaypacs.testsupport.Dcmtk;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kiosk mode in Chromium: an administrator sets up a tablet for a clinic; the tablet, never signed in, shows only
 * the upload flow with large targets, sends a study, and clears it for the next patient.
 */
class KioskIT extends BrowserAppTest {

    @Test
    void aTabletSetUpForAClinicSendsAStudyAndResetsForTheNextPatient() throws Exception {
        Path study = SyntheticDicom.create(TempDirs.create("kiosk"), 200_000, SyntheticDicom.newUid(), SyntheticDicom.newUid(),
                "KIOSK^PATIENT", "K-1");
        try (BrowserContext admin = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 1000));
             BrowserContext tablet = browser.newContext(new Browser.NewContextOptions().setViewportSize(1024, 768));
             BrowserContext stranger = browser.newContext(new Browser.NewContextOptions().setViewportSize(1024, 768))) {
            Page desk = BrowserUploadIT.signIn(admin);
            desk.navigate(app.baseUrl() + "/admin/users");
            desk.getByText("Set up a tablet").first().click();
            String setup = desk.locator("#kiosk-setup-link").getAttribute("href");
            assertThat(setup).contains("/kiosk/setup/");

            Page kiosk = tablet.newPage();
            kiosk.navigate(setup);
            kiosk.waitForURL("**/kiosk");
            assertThat(kiosk.locator("h1")).hasText("Head office");
            assertThat(kiosk.locator("vaadin-side-nav")).hasCount(0);
            assertThat(kiosk.locator("relay-uploader[kiosk]")).isVisible();
            double height = kiosk.locator("relay-uploader .pick .button").first().boundingBox().height;
            assertThat(height).as("very large targets").isGreaterThanOrEqualTo(88);
            kiosk.setInputFiles("relay-uploader input[data-pick=files]", study);
            kiosk.locator("relay-uploader button.send").click();
            assertThat(kiosk.locator("relay-uploader li.file[data-state=done]")).hasCount(1,
                    new LocatorAssertions.HasCountOptions().setTimeout(60_000));
            assertThat(kiosk.locator("relay-uploader .ready")).hasText("Delivered. Ready for the next patient.",
                    new LocatorAssertions.HasTextOptions().setTimeout(20_000));
            assertThat(kiosk.locator("relay-uploader")).not().containsText("KIOSK");
            assertThat(kiosk.locator("relay-uploader li.file")).hasCount(0);
            kiosk.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/kiosk.png")));
            assertThat(orthanc.findInstance(Dcmtk.sopInstanceUid(study))).isNotNull();

            kiosk.reload();
            assertThat(kiosk.locator("relay-uploader[kiosk]")).isVisible();

            Page other = stranger.newPage();
            // the setup link works once: opened again (another browser, or someone who saw it) it sets up nothing
            other.navigate(setup);
            assertThat(other.locator(".kiosk-setup-refused")).hasText("This setup link cannot be used");
            assertThat(other.locator("body")).containsText("works once");
            // the device key is no password: tried at the API as any user's password, it signs nobody in
            String key = (String) kiosk.evaluate("() => localStorage.getItem('relaypacs.kiosk')");
            assertThat(key).isNotBlank();
            assertThat(other.request().post(app.baseUrl() + "/api/auth/login", com.microsoft.playwright.options.RequestOptions.create()
                    .setHeader("Content-Type", "application/json")
                    .setData("{\"username\":\"admin\",\"password\":\"" + key + "\"}")).status()).isEqualTo(401);
            other.navigate(app.baseUrl() + "/kiosk");
            assertThat(other.locator(".kiosk-not-set-up")).containsText("This tablet is not set up for a clinic");
            assertThat(other.locator("relay-uploader")).hasCount(0);
        }
    }
}
