package io.relaypacs.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.relaypacs.testsupport.BrowserAppTest;
import io.relaypacs.testsupport.SampleFiles;
import io.relaypacs.testsupport.TempDirs;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * QR pairing in Chromium: the computer shows a code for a patient; a phone (another browser context) opens its
 * link, sends a photo without signing in, and the computer sees it arrive; the link used again, in another browser,
 * or forged, is refused in plain words.
 */
class PairingIT extends BrowserAppTest {

    @Test
    void aPhoneOpensTheLinkOnceSendsAPhotoAndTheComputerSeesItArrive() throws Exception {
        Path photo = Files.write(TempDirs.create("pair-photo").resolve("rash.jpg"), SampleFiles.jpeg(false));
        String patientId = "RP-PAIR-" + System.nanoTime();

        try (BrowserContext computer = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 1000));
             BrowserContext phone = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844));
             BrowserContext other = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844))) {
            Page desk = BrowserUploadIT.signIn(computer);
            desk.locator("vaadin-details.phone-pairing").click();
            desk.locator("vaadin-details.phone-pairing vaadin-text-field").nth(0).locator("input").fill("Roe, Rita");
            desk.locator("vaadin-details.phone-pairing vaadin-text-field").nth(1).locator("input").fill(patientId);
            desk.getByText("Show a QR code").click();
            assertThat(desk.locator("vaadin-details.phone-pairing img")).isVisible();
            String link = desk.locator("#pair-link").getAttribute("href");
            desk.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/pairing-qr.png")));

            Page mobile = phone.newPage();
            mobile.navigate(link);
            assertThat(mobile.getByText("Send images for Head office")).isVisible();
            mobile.setInputFiles("relay-uploader input[data-pick=camera]", photo);
            assertThat(mobile.locator("relay-uploader input[data-patient=id]")).hasValue(patientId);
            mobile.locator("relay-uploader button.send").click();
            assertThat(mobile.locator("relay-uploader li.file[data-state=done]")).hasCount(1,
                    new LocatorAssertions.HasCountOptions().setTimeout(60_000));
            mobile.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/pairing-phone.png")));

            assertThat(desk.locator("ul.from-phone li")).containsText("rash.jpg: Delivered to the PACS",
                    new LocatorAssertions.ContainsTextOptions().setTimeout(20_000));

            Page again = other.newPage();
            again.navigate(link);
            assertThat(again.locator(".pair-refused")).hasText("This code cannot be used");
            assertThat(again.locator("relay-uploader")).hasCount(0);
            again.navigate(app.baseUrl() + "/pair/forged-code-that-was-never-issued");
            assertThat(again.locator(".pair-refused")).hasText("This code cannot be used");
        }
        String found = orthanc.findPatientInstance(patientId);
        Assertions.assertThat(found).as("the photo as DICOM of the patient typed on the computer").isNotNull();
    }
}
