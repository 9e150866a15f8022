package io.relaypacs.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.ServiceWorkerPolicy;
import io.relaypacs.testsupport.BrowserAppTest;
import io.relaypacs.testsupport.Dcmtk;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One browser profile, two clinics' users (a shared clinic PC): what one queued offline and left without signing out
 * is neither shown to, nor sent by, nor sent as the next user; it waits, sealed, and goes when its owner is back.
 * With the service worker allowed (Background Sync) and blocked (browsers without it).
 */
class SharedBrowserIT extends BrowserAppTest {
    private static final String PASSWORD = "shared-browser-password";

    @BeforeAll
    static void twoClinicsWithAUserEach() {
        try (BrowserContext admin = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 1000))) {
            Page page = BrowserUploadIT.signIn(admin);
            page.navigate(app.baseUrl() + "/admin/users");
            for (ServiceWorkerPolicy policy : ServiceWorkerPolicy.values()) {
                PeoplePage.addPerson(page, userA(policy), PASSWORD, "Clinic A");
                PeoplePage.addPerson(page, userB(policy), PASSWORD, "Clinic B");
            }
        }
    }

    private static String userA(ServiceWorkerPolicy policy) {
        return "radiographer.a." + policy.name().toLowerCase();
    }

    private static String userB(ServiceWorkerPolicy policy) {
        return "radiographer.b." + policy.name().toLowerCase();
    }

    private static Page signIn(BrowserContext context, String user) {
        Page page = context.newPage();
        page.navigate(app.baseUrl() + "/login");
        page.locator("input[name=username]").fill(user);
        page.locator("input[name=password]").fill(PASSWORD);
        page.locator("vaadin-login-form vaadin-button").first().click();
        assertThat(page.locator("relay-uploader .pick")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(20_000));
        return page;
    }

    @ParameterizedTest
    @EnumSource(ServiceWorkerPolicy.class)
    void whatOneUserLeftQueuedIsNeitherShownNorSentByTheNextAndGoesWhenItsOwnerIsBack(ServiceWorkerPolicy policy) throws Exception {
        Path dir = TempDirs.create("shared");
        String study = SyntheticDicom.newUid();
        String series = SyntheticDicom.newUid();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            files.add(SyntheticDicom.create(dir, 150_000, study, series, "ALPHA^PATIENT", "A-" + policy.ordinal()));
        }
        try (BrowserContext shared = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)
                .setServiceWorkers(policy))) {
            Page a = signIn(shared, userA(policy));
            shared.setOffline(true);
            a.setInputFiles("relay-uploader input[data-pick=files]", files.toArray(Path[]::new));
            a.locator("relay-uploader button.send").click();
            assertThat(a.locator("relay-uploader li.file")).hasCount(3);
            assertThat(a.locator("relay-uploader .queued-study > .state")).hasText("Waiting for network");
            a.close(); // A walks away without signing out; the session ends with the browser's cookies
            shared.clearCookies();
            shared.setOffline(false);

            Page b = signIn(shared, userB(policy));
            b.waitForTimeout(4000); // time enough for a page (or a sync) that would send someone else's queue
            assertThat(b.locator("relay-uploader li.file")).hasCount(0);
            assertThat(b.locator("relay-uploader")).not().containsText("ALPHA");
            assertThat(b.locator("relay-uploader")).not().containsText(files.get(0).getFileName().toString());
            if (policy == ServiceWorkerPolicy.BLOCK) {
                // nothing can send A's queue while A is away: B's page certainly does not
                for (Path f : files) {
                    assertThat(orthanc.findInstance(Dcmtk.sopInstanceUid(f))).as("sent while its owner was away").isNull();
                }
            }
            // an address the app does not have: a page of the app, not a bare server error
            Response missing = b.navigate(app.baseUrl() + "/no-such-page");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(b.locator("h1")).hasText("This page does not exist");
            assertThat(b.locator("body")).not().containsText("Whitelabel");
            b.getByText("Back to RelayPACS").click();
            assertThat(b.locator("relay-uploader .pick")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(20_000));
            b.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/shared-browser-next-user-" + policy.name().toLowerCase() + ".png")));
            b.getByText("Sign out").click();
            b.waitForURL("**/login*");
            b.close();

            Page back = signIn(shared, userA(policy));
            assertThat(back.locator("relay-uploader li.file[data-state=done]")).hasCount(3,
                    new LocatorAssertions.HasCountOptions().setTimeout(60_000));
        }
        BrowserUploadIT.assertDeliveredByteForByte(files);
    }
}
