package io.relaypacs.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import io.relaypacs.testsupport.SampleFiles;
import io.relaypacs.testsupport.TempDirs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * Every view of the app in one browser language at phone and desktop size: signed out, signed in as an
 * administrator (who sees every view an uploader sees, and more), the photo form open, and a kiosk. Each is handed
 * to a check and kept as a screenshot in {@code target/screenshots/<language>[-dark]/}.
 */
final class ViewTour {
    static final int[][] SIZES = {{390, 844}, {1280, 900}};

    interface Check {
        void on(Page page, String view, int[] size);
    }

    private ViewTour() {
    }

    static void visit(Browser browser, String baseUrl, String adminPassword, String locale, Check check) throws IOException {
        visit(browser, baseUrl, adminPassword, locale, ColorScheme.LIGHT, check);
    }

    static void visit(Browser browser, String baseUrl, String adminPassword, String locale, ColorScheme scheme, Check check)
            throws IOException {
        Path photo = Files.write(TempDirs.create("tour").resolve("wound.jpg"), SampleFiles.jpeg(false));
        for (int[] size : SIZES) {
            Browser.NewContextOptions options = new Browser.NewContextOptions().setViewportSize(size[0], size[1]).setLocale(locale)
                    .setColorScheme(scheme);
            try (BrowserContext context = browser.newContext(options)) {
                Page page = context.newPage();
                page.setDefaultTimeout(30_000);
                page.navigate(baseUrl + "/login");
                assertThat(page.locator("vaadin-login-form")).isVisible();
                String folder = locale.substring(0, 2) + (scheme == ColorScheme.DARK ? "-dark" : "");
                seen(page, "sign-in", size, folder, check);
                page.locator("input[name=username]").fill("admin");
                page.locator("input[name=password]").fill(adminPassword);
                page.locator("vaadin-login-form vaadin-button").first().click();
                assertThat(page.locator("relay-uploader .pick")).isVisible();
                seen(page, "send-images", size, folder, check);
                page.setInputFiles("relay-uploader input[data-pick=files]", photo);
                assertThat(page.locator("relay-uploader fieldset.patient")).isVisible();
                seen(page, "send-images-photo-form", size, folder, check);
                for (String view : new String[] {"/admin", "/admin/destinations", "/admin/users", "/admin/audit"}) {
                    page.navigate(baseUrl + view);
                    assertThat(page.locator("h2").first()).isVisible();
                    seen(page, view.substring(1).replace('/', '-'), size, folder, check);
                }
                page.navigate(baseUrl + "/admin/users");
                page.locator("vaadin-button.set-up-tablet").first().click();
                String setup = page.locator("#kiosk-setup-link").getAttribute("href");
                try (BrowserContext tablet = browser.newContext(options)) {
                    Page kiosk = tablet.newPage();
                    kiosk.navigate(setup);
                    kiosk.waitForURL("**/kiosk");
                    assertThat(kiosk.locator("relay-uploader[kiosk]")).isVisible();
                    seen(kiosk, "kiosk", size, folder, check);
                }
            }
        }
    }

    private static void seen(Page page, String view, int[] size, String folder, Check check) {
        check.on(page, view, size);
        page.screenshot(new Page.ScreenshotOptions().setFullPage(true).setPath(Path.of("target/screenshots",
                folder, view + "-" + size[0] + "x" + size[1] + ".png")));
    }
}
