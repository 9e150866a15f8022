package io.relaypacs.e2e;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.relaypacs.testsupport.BrowserAppTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The production jar in real Chromium: sign in, installable manifest, an active service worker. */
class PwaShellIT extends BrowserAppTest {

    @Test
    void anAdministratorSignsInAndTheAppIsInstallableWithAnActiveServiceWorker() throws Exception {
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844))) {
            Page page = context.newPage();
            page.navigate(app.baseUrl() + "/");
            assertThat(page).hasURL(Pattern.compile(".*/login$"));

            page.locator("input[name=username]").fill("admin");
            page.locator("input[name=password]").fill(ADMIN_PASSWORD);
            page.locator("vaadin-button[slot=submit], vaadin-login-form vaadin-button").first().click();
            assertThat(page.getByText("Recent uploads from your clinic")).isVisible();
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/upload-view-phone.png")).setFullPage(true));
            // On a phone the navigation sits in a drawer behind the toggle.
            page.locator("vaadin-drawer-toggle").click();
            assertThat(page.getByText("Dashboard")).isVisible();
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/drawer-phone.png")));

            APIResponse manifest = page.request().get(app.baseUrl() + "/manifest.webmanifest");
            assertThat(manifest.status()).isEqualTo(200);
            JsonNode json = JsonMapper.builder().build().readTree(manifest.text());
            assertThat(json.path("name").asString()).isEqualTo("RelayPACS");
            assertThat(json.path("display").asString()).isEqualTo("standalone");
            assertThat(json.path("icons").size()).isGreaterThan(0);
            assertThat(json.path("shortcuts").findValuesAsString("url")).containsExactly("./", "./admin");
            assertThat(json.path("screenshots").findValuesAsString("form_factor")).containsExactly("narrow", "wide");
            for (String src : json.path("screenshots").findValuesAsString("src")) {
                APIResponse screenshot = page.request().get(app.baseUrl() + "/" + src);
                assertThat(screenshot.status()).as(src).isEqualTo(200);
                assertThat(screenshot.headers().get("content-type")).isEqualTo("image/png");
            }
            APIResponse french = page.request().get(app.baseUrl() + "/manifest.webmanifest",
                    com.microsoft.playwright.options.RequestOptions.create().setHeader("Accept-Language", "fr-FR"));
            JsonNode inFrench = JsonMapper.builder().build().readTree(french.text());
            assertThat(inFrench.path("lang").asString()).isEqualTo("fr");
            assertThat(inFrench.path("shortcuts").findValuesAsString("name")).contains("Envoyer des images");

            Object state = page.evaluate("() => Promise.race([navigator.serviceWorker.ready.then(r => r.active && r.active.state),"
                    + " new Promise(resolve => setTimeout(() => resolve('timeout'), 20000))])");
            assertThat(state).isIn("activated", "activating");
        }
    }

    @Test
    void theDrawersLinksAndTheCheckboxesAreTargetsOfAtLeast44PxOnAPhone() {
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844))) {
            Page page = context.newPage();
            page.navigate(app.baseUrl() + "/login");
            page.locator("input[name=username]").fill("admin");
            page.locator("input[name=password]").fill(ADMIN_PASSWORD);
            page.locator("vaadin-button[slot=submit], vaadin-login-form vaadin-button").first().click();
            assertThat(page.getByText("Recent uploads from your clinic")).isVisible();
            page.locator("vaadin-drawer-toggle").click();
            Locator links = page.locator("vaadin-side-nav-item [part~=link]");
            assertThat(links.first()).isVisible();
            assertThat(links.count()).isEqualTo(5);
            for (int i = 0; i < links.count(); i++) {
                assertThat(links.nth(i).boundingBox().height).as("drawer link %d", i).isGreaterThanOrEqualTo(44);
            }
            for (String view : new String[] {"/admin/destinations", "/admin/users"}) {
                page.navigate(app.baseUrl() + view);
                Locator boxes = page.locator("vaadin-checkbox");
                assertThat(boxes.first()).isVisible();
                for (int i = 0; i < boxes.count(); i++) {
                    assertThat(boxes.nth(i).boundingBox().height).as("checkbox %d of %s", i, view).isGreaterThanOrEqualTo(44);
                }
            }
        }
    }

    @Test
    void wrongCredentialsShowAPlainMessageAndStayOnTheLoginPage() {
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            page.navigate(app.baseUrl() + "/login");
            page.locator("input[name=username]").fill("admin");
            page.locator("input[name=password]").fill("not-the-password");
            page.locator("vaadin-button[slot=submit], vaadin-login-form vaadin-button").first().click();
            assertThat(page.getByText("The user name or password is not correct")).isVisible();
            assertThat(page).hasURL(Pattern.compile(".*/login\\?error$"));
        }
    }
}
