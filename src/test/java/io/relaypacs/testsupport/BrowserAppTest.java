package io.relaypacs.testsupport;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

/**
 * End-to-end tests: the packaged jar as a process, forwarding to a real Orthanc, driven by Debian's Chromium.
 * One app, one Orthanc and one browser per test class.
 */
public abstract class BrowserAppTest {
    protected static final String ADMIN_PASSWORD = "e2e-admin-password";

    @RegisterExtension
    protected static final OrthancProcess orthanc = new OrthancProcess();

    protected static AppProcess app;
    protected static Playwright playwright;
    protected static Browser browser;

    @BeforeAll
    static void startAppAndBrowser() throws Exception {
        app = new AppProcess(TempDirs.create("relaypacs-e2e")).start(Map.of(
                "RELAYPACS_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "RELAYPACS_PACS_DICOMWEB_URL", orthanc.dicomWebUrl()));
        playwright = Playwright.create();
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    static void stopAppAndBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (app != null) {
            app.close();
        }
    }
}
