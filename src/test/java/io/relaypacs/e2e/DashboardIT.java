package io.relaypacs.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.relaypacs.testsupport.ApiClient;
import io.relaypacs.testsupport.BrowserAppTest;
import io.relaypacs.testsupport.SyntheticDicom;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard in Chromium: an upload delivered while it is open shows up without a reload (server push). */
class DashboardIT extends BrowserAppTest {

    @Test
    void theDashboardFollowsAnUploadLiveAndShowsItDelivered() throws Exception {
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 1000))) {
            Page page = context.newPage();
            page.navigate(app.baseUrl() + "/login");
            page.locator("input[name=username]").fill("admin");
            page.locator("input[name=password]").fill(ADMIN_PASSWORD);
            page.locator("vaadin-button[slot=submit], vaadin-login-form vaadin-button").first().click();
            assertThat(page.getByText("Recent uploads from your clinic")).isVisible();
            page.navigate(app.baseUrl() + "/admin");
            Locator delivered = page.locator(".counter[data-state=DONE] span").first();
            assertThat(delivered).hasText("0");

            ApiClient api = new ApiClient(app.baseUrl());
            assertThat(api.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
            byte[] bytes = Files.readAllBytes(SyntheticDicom.create(TempDirs.create("dashboard"), 400_000));
            String id = api.init("dashboard-study.dcm", bytes.length, null, null).json().path("upload_id").asString();
            assertThat(api.putChunk(id, 0, bytes).status()).isEqualTo(201);
            assertThat(api.complete(id).status()).isEqualTo(202);
            assertThat(api.awaitFinal(id, Duration.ofSeconds(60)).path("state").asString()).isEqualTo("DONE");

            // no reload: the view is pushed a refresh every few seconds
            assertThat(delivered).hasText("1", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(15_000));
            assertThat(page.locator(".counter[data-state=last-hour] span").first()).containsText("1 ·");
            assertThat(page.locator(".hour-chart")).hasAttribute("aria-label",
                    Pattern.compile("^1 uploads begun in the last 24 hours.*"));
            assertThat(page.getByText("PACS (DICOMweb) (DICOMweb (STOW-RS)): in use")).isVisible();
            Files.createDirectories(Path.of("target/screenshots"));
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/dashboard.png")).setFullPage(true));
        }
    }
}
