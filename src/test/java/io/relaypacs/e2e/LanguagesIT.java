package io.relaypacs.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.relaypacs.testsupport.BrowserAppTest;
import io.relaypacs.testsupport.TempDirs;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clinic's language: a French browser gets French on every screen, in the upload component and in what the
 * server says about a file; a language chosen on the sign-in page becomes the user's own on any device.
 */
class LanguagesIT extends BrowserAppTest {
    private static final String PASSWORD = "lucia-password-1";

    @Test
    void aFrenchBrowserSeesFrenchEverywhereIncludingTheServersReasonForAFile() throws Exception {
        Path notes = Files.writeString(TempDirs.create("fr").resolve("notes.txt"), "Rendez-vous mardi", StandardCharsets.UTF_8);
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setLocale("fr-FR").setViewportSize(1280, 900))) {
            Page page = context.newPage();
            page.setDefaultTimeout(30_000);
            page.navigate(app.baseUrl() + "/login");
            assertThat(page.locator("vaadin-login-form")).containsText("Nom d'utilisateur");
            assertThat(page).hasTitle("Connexion · RelayPACS");
            assertThat(page.locator("html")).hasAttribute("lang", "fr");
            page.locator("input[name=username]").fill("admin");
            page.locator("input[name=password]").fill(ADMIN_PASSWORD);
            page.locator("vaadin-login-form vaadin-button").first().click();

            assertThat(page.locator("h2").first()).hasText("Envoyer des images");
            assertThat(page.locator("vaadin-side-nav")).containsText("Personnes et cliniques");
            assertThat(page.locator("relay-uploader .pick")).containsText("Choisir des fichiers");
            page.setInputFiles("relay-uploader input[data-pick=files]", notes);
            assertThat(page.locator("relay-uploader button.send")).containsText("Envoyer 1 fichier");
            page.locator("relay-uploader button.send").click();
            // the server's reason for the file, said in French, inside the component's French sentence
            assertThat(page.locator("relay-uploader li.file .state")).containsText(Pattern.compile("image médicale"),
                    new LocatorAssertions.ContainsTextOptions().setTimeout(60_000));
            String said = page.locator("relay-uploader li.file .state").textContent();
            assertThat(said).doesNotContain("medical image").doesNotContain("not sent");
            System.out.println("French outcome of notes.txt: " + said);

            page.navigate(app.baseUrl() + "/admin");
            assertThat(page.locator("h2").first()).hasText("Envois de toutes les cliniques");
            assertThat(page).hasTitle("Tableau de bord · RelayPACS");
            page.navigate(app.baseUrl() + "/no/such/page");
            assertThat(page.locator("h1")).hasText("Cette page n'existe pas");
        }
    }

    @Test
    void everyViewInFrenchIsKeptAsAScreenshot() throws Exception {
        ViewTour.visit(browser, app.baseUrl(), ADMIN_PASSWORD, "fr-FR", (page, view, size) ->
                assertThat(page.locator("body")).not().containsText(Pattern.compile("Sign in|Send images|Choose files|Destinations are")));
    }

    @Test
    void aLanguageChosenOnTheSignInPageBecomesTheUsersOwnOnAnyDevice() {
        try (BrowserContext desk = browser.newContext(new Browser.NewContextOptions().setLocale("en-US"))) {
            Page admin = UploadEngineIT.signIn(desk, app.baseUrl());
            admin.navigate(app.baseUrl() + "/admin/users");
            PeoplePage.addPerson(admin, "lucia", PASSWORD, "Clínica Norte");
        }
        try (BrowserContext shared = browser.newContext(new Browser.NewContextOptions().setLocale("en-US"))) {
            Page page = shared.newPage();
            page.navigate(app.baseUrl() + "/login");
            assertThat(page.locator("vaadin-login-form")).containsText("User name");
            page.locator("vaadin-select.language-select").click();
            page.locator("vaadin-select-item").filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("Español")).click();
            page.waitForURL("**/login?language=es");
            assertThat(page.locator("vaadin-login-form")).containsText("Nombre de usuario");
            signIn(page, "lucia");
            assertThat(page.locator("h2").first()).hasText("Enviar imágenes");
        }
        // another device, a French browser: the user's own choice wins
        try (BrowserContext other = browser.newContext(new Browser.NewContextOptions().setLocale("fr-FR"))) {
            Page page = other.newPage();
            page.navigate(app.baseUrl() + "/login");
            assertThat(page.locator("vaadin-login-form")).containsText("Nom d'utilisateur");
            signIn(page, "lucia");
            assertThat(page.locator("h2").first()).hasText("Enviar imágenes");
            assertThat(page.locator("relay-uploader .pick")).containsText("Elegir archivos");
        }
    }

    private static void signIn(Page page, String user) {
        page.locator("input[name=username]").fill(user);
        page.locator("input[name=password]").fill(PASSWORD);
        page.locator("vaadin-login-form vaadin-button").first().click();
        assertThat(page.locator("relay-uploader .pick")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(20_000));
    }
}
