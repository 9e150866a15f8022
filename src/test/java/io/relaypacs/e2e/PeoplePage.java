package io.relaypacs.e2e;

import com.microsoft.playwright.Page;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/** The administrator's People and clinics page, as the browser tests use it. */
final class PeoplePage {
    private PeoplePage() {
    }

    /** Adds a person to a clinic (typed in, so a new clinic is made) on the open page, and waits for the confirmation. */
    static void addPerson(Page page, String name, String password, String clinic) {
        Page.GetByLabelOptions exact = new Page.GetByLabelOptions().setExact(true);
        page.getByLabel("User name", exact).fill(name);
        page.getByLabel("Password (at least 10 characters)", exact).fill(password);
        page.getByLabel("Clinic", exact).fill(clinic);
        page.getByLabel("Clinic", exact).press("Enter");
        page.getByText("Add person").click();
        assertThat(page.locator(".users-view p[role=status]")).hasText(name + " can now sign in.");
    }
}
