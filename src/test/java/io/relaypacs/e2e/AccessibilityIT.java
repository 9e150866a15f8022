package io.relaypacs.e2e;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.FileChooser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.ColorScheme;
import io.relaypacs.testsupport.BrowserAppTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every view checked with axe-core (WCAG 2.2 A and AA rules) at phone and desktop size ({@link ViewTour}), in the
 * light theme and in Lumo dark, as an administrator, as an uploader and on a paired phone: no serious or critical
 * violation. And a study picked, sent and followed to "Delivered" with the keyboard alone.
 */
class AccessibilityIT extends BrowserAppTest {
    private static final String UPLOADER_PASSWORD = "nina-password-1";
    private static final List<String> RULES = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");

    private final List<String> problems = new ArrayList<>();

    @Test
    void everyViewHasNoSeriousOrCriticalViolationAtPhoneAndDesktopSize() throws Exception {
        ViewTour.visit(browser, app.baseUrl(), ADMIN_PASSWORD, "en-GB", this::check);
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    @Test
    void theLumoDarkThemeMeetsTheSameBar() throws Exception {
        ViewTour.visit(browser, app.baseUrl(), ADMIN_PASSWORD, "en-GB", ColorScheme.DARK, (page, view, size) -> {
            assertThat(page.locator("html")).hasAttribute("theme", "dark");
            check(page, view + " (dark)", size);
        });
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    @Test
    void anUploaderAndAPairedPhoneMeetTheSameBar() throws Exception {
        try (BrowserContext desk = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page admin = UploadEngineIT.signIn(desk, app.baseUrl());
            admin.navigate(app.baseUrl() + "/admin/users");
            PeoplePage.addPerson(admin, "nina", UPLOADER_PASSWORD, "Hill Clinic");
        }
        for (int[] size : ViewTour.SIZES) {
            try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(size[0], size[1]));
                 BrowserContext phone = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844))) {
                Page page = context.newPage();
                page.navigate(app.baseUrl() + "/login");
                page.locator("input[name=username]").fill("nina");
                page.locator("input[name=password]").fill(UPLOADER_PASSWORD);
                page.locator("vaadin-login-form vaadin-button").first().click();
                assertThat(page.locator("relay-uploader .pick")).isVisible();
                assertThat(page.locator("vaadin-side-nav")).not().containsText("Dashboard");
                page.locator("vaadin-details.phone-pairing").click();
                page.getByText("Show a QR code").click();
                assertThat(page.locator("vaadin-details.phone-pairing img")).isVisible();
                check(page, "send images as an uploader, QR code shown", size);
                Page mobile = phone.newPage();
                mobile.navigate(page.locator("#pair-link").getAttribute("href"));
                assertThat(mobile.locator("relay-uploader .pick")).isVisible();
                check(mobile, "paired phone", new int[] {390, 844});
            }
        }
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    @Test
    void aStudyIsPickedSentAndFollowedToDeliveredWithTheKeyboardAlone() throws Exception {
        List<Path> study = BrowserUploadIT.syntheticStudy(2, 100_000);
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = UploadEngineIT.signIn(context, app.baseUrl());
            focus(page, "input[data-pick=files]");
            assertThat(page.evaluate("() => getComputedStyle(document.querySelector('relay-uploader').shadowRoot"
                    + ".activeElement.closest('label')).outlineStyle")).as("focus is visible").isEqualTo("solid");
            FileChooser chooser = page.waitForFileChooser(() -> page.keyboard().press("Space"));
            chooser.setFiles(study.toArray(Path[]::new));
            focus(page, "button.send");
            page.keyboard().press("Enter");
            assertThat(page.locator("relay-uploader .overall[aria-live=polite]")).isVisible();
            assertThat(page.locator("relay-uploader .queued-study > .state")).containsText("Delivered to the PACS",
                    new LocatorAssertions.ContainsTextOptions().setTimeout(60_000));
        }
        BrowserUploadIT.assertDeliveredByteForByte(study);
    }

    /** Presses Tab until the uploader's element matching {@code selector} has the focus (at most 40 times). */
    private static void focus(Page page, String selector) {
        for (int i = 0; i < 40; i++) {
            page.keyboard().press("Tab");
            Object here = page.evaluate("s => { const a = document.querySelector('relay-uploader')?.shadowRoot?.activeElement;"
                    + " return !!a && a.matches(s); }", selector);
            if (Boolean.TRUE.equals(here)) {
                return;
            }
        }
        throw new AssertionError("Tab never reached " + selector);
    }

    private void check(Page page, String view, int[] size) {
        AxeResults results = new AxeBuilder(page).withTags(RULES).analyze();
        for (Rule rule : results.getViolations()) {
            if ("serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact())) {
                problems.add(view + " at " + size[0] + "x" + size[1] + ": " + rule.getId() + " (" + rule.getImpact() + ") "
                        + rule.getHelp() + " — " + rule.getNodes().stream().map(n -> String.valueOf(n.getTarget())).limit(3).toList());
            }
        }
        System.out.printf("axe: %s at %dx%d: %d violation(s), %d serious or critical%n", view, size[0], size[1],
                results.getViolations().size(), results.getViolations().stream()
                        .filter(r -> "serious".equals(r.getImpact()) || "critical".equals(r.getImpact())).count());
    }
}
