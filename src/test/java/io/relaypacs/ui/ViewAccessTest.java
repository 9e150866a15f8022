package io.relaypacs.ui;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.QueryParameters;
import io.relaypacs.forward.DestinationService;
import io.relaypacs.security.Clinics;
import io.relaypacs.security.KioskService;
import io.relaypacs.security.Role;
import io.relaypacs.security.UserService;
import io.relaypacs.testsupport.OrthancProcess;
import io.relaypacs.testsupport.TestApp;
import io.relaypacs.upload.PairingService;
import io.relaypacs.upload.UploadDeclaration;
import io.relaypacs.upload.UploadService;
import io.relaypacs.upload.UploadStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.test.context.support.TestExecutionEvent;
import org.springframework.security.test.context.support.WithAnonymousUser;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may open which view, and what each sees, without a browser. */
@SpringBootTest
class ViewAccessTest extends SpringBrowserlessTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApp.properties(registry, "relaypacs-ui");
        registry.add("relaypacs.dashboard.stuck-after", () -> "0s");
    }

    @TestConfiguration
    static class Users {
        @Bean
        ApplicationRunner clinicUsers(UserService users, UploadService uploads) {
            return args -> {
                if (!users.exists("nurse")) {
                    var nurse = users.createUser("nurse", "nurse-password", Role.UPLOADER, "Hill Clinic");
                    users.createUser("other", "other-password", Role.UPLOADER, "River Clinic");
                    uploads.init(nurse, new UploadDeclaration("knee.dcm", 1000L, null, null, null, null));
                }
            };
        }
    }

    @Autowired
    UserService users;
    @Autowired
    DestinationService destinations;
    @Autowired
    PairingService pairings;
    @Autowired
    KioskService kiosk;
    @Autowired
    UploadService uploads;

    @Test
    @WithAnonymousUser
    void aVisitorWhoIsNotSignedInIsSentToTheLoginView() {
        navigate("", LoginView.class);
        assertThat(getCurrentView()).isInstanceOf(LoginView.class);
    }

    @Test
    @WithAnonymousUser
    void aThrottledSignInSaysHowLongToWait() {
        UI.getCurrent().navigate(LoginView.class,
                QueryParameters.of("throttled", "42"));
        LoginView view = (LoginView) getCurrentView();
        assertThat(view.form().isError()).isTrue();
        assertThat(view.i18n().getErrorMessage().getMessage()).isEqualTo("Too many sign-in attempts. Wait 42 seconds and try again.");
        UI.getCurrent().navigate(LoginView.class,
                QueryParameters.of("error", ""));
        view = (LoginView) getCurrentView();
        assertThat(view.i18n().getErrorMessage().getMessage()).startsWith("The user name or password is not correct");
    }

    @Test
    @WithUserDetails(value = "nurse", setupBefore = TestExecutionEvent.TEST_EXECUTION)
    void aUserWhoChoseFrenchSeesTheViewsAndStatesInFrench() {
        UI.getCurrent().setLocale(java.util.Locale.FRENCH);
        UploadView view = navigate(UploadView.class);
        assertThat(view.getChildren().filter(c -> c instanceof com.vaadin.flow.component.html.H2).findFirst().orElseThrow()
                .getElement().getText()).isEqualTo("Envoyer des images");
        assertThat(view.getPageTitle()).isEqualTo("Envoyer des images · RelayPACS");
        assertThat(UploadGrid.describe(new io.relaypacs.upload.UploadStatus(java.util.UUID.randomUUID(), "a.dcm",
                io.relaypacs.upload.UploadState.FAILED, 1, 1, 1, 1, java.util.List.of(), 1, java.util.List.of(),
                "The file is empty.", java.time.Instant.now(), java.time.Instant.now())))
                .isEqualTo("Non livré : Le fichier est vide.");
        assertThat(UploadGridFormat.age(java.time.Duration.ofHours(50))).isEqualTo("2 j 2 h");
        var calendar = new LocalDatePicker("Depuis").getI18n();
        assertThat(calendar.getMonthNames().getFirst()).isEqualTo("janvier");
        assertThat(calendar.getFirstDayOfWeek()).as("a French week starts on Monday").isEqualTo(1);
        assertThat(calendar.getToday()).isEqualTo("Aujourd'hui");
    }

    @Test
    @WithUserDetails(value = "nurse", setupBefore = TestExecutionEvent.TEST_EXECUTION)
    void anUploaderSeesTheirClinicsUploadsButNoDashboard() {
        UploadView view = navigate(UploadView.class);
        @SuppressWarnings("unchecked")
        Grid<UploadStatus> grid = view.grid();
        assertThat(test(grid).size()).isEqualTo(1);
        assertThat(UploadGrid.describe(grid.getListDataView().getItem(0))).startsWith("Sending: 0%");
        assertThat($(SideNav.class).single().getItems()).extracting(SideNavItem::getLabel).containsExactly("Send images");
    }

    @Test
    @WithUserDetails(value = "nurse", setupBefore = TestExecutionEvent.TEST_EXECUTION)
    void aQrCodeLinkWorksOnceForwardsThePatientAndAForgedOneNever() {
        UploadView view = navigate(UploadView.class);
        test(view.phone().patientName).setValue("Roe, Rita");
        test(view.phone().patientId).setValue("P-77");
        test(view.phone().show).click();
        Anchor link = (Anchor) view.phone().code()
                .getChildren().filter(c -> c instanceof Paragraph)
                .flatMap(Component::getChildren).findFirst().orElseThrow();
        String code = link.getHref().substring(link.getHref().lastIndexOf('/') + 1);
        assertThat(link.getHref()).contains("/pair/");
        assertThat(view.phone().arrived().getElement().getTextRecursively()).isEqualTo("Nothing from the phone yet.");

        var redeemed = pairings.redeem(code).orElseThrow();
        assertThat(redeemed.clinic()).isEqualTo("Hill Clinic");
        assertThat(redeemed.patientName()).isEqualTo("Roe, Rita");
        assertThat(redeemed.patientId()).isEqualTo("P-77");
        assertThat(redeemed.batchId()).startsWith("pair-");
        assertThat(redeemed.token()).isNotBlank();
        assertThat(pairings.redeem(code)).as("used once").isEmpty();
        assertThat(pairings.redeem("forged" + code)).isEmpty();
        assertThat(pairings.redeem(null)).isEmpty();
    }

    @Test
    @WithUserDetails(value = "other", setupBefore = TestExecutionEvent.TEST_EXECUTION)
    void anUploaderOfAnotherClinicDoesNotSeeThoseUploads() {
        UploadView view = navigate(UploadView.class);
        assertThat(test(view.grid()).size()).isZero();
        assertThat(view.grid().getEmptyStateText()).isEqualTo("Nothing has been sent yet.");
    }

    @Test
    @WithUserDetails(value = "nurse", setupBefore = TestExecutionEvent.TEST_EXECUTION)
    void anUploaderCannotOpenTheDashboard() {
        try {
            navigate(DashboardView.class);
        } catch (RuntimeException | AssertionError refused) {
            // browserless navigation reports the refusal; either way the dashboard must not be shown
        }
        assertThat(getCurrentView()).isNotInstanceOf(DashboardView.class);
    }

    @Test
    @WithUserDetails(value = "admin", setupBefore = TestExecutionEvent.TEST_EXECUTION)
    void anAdministratorSeesCountsAcrossClinicsAndTheDashboardLink() {
        DashboardView view = navigate(DashboardView.class);
        var receiving = view.counters().getChildren()
                .filter(c -> "RECEIVING".equals(c.getElement().getAttribute("data-state"))).findFirst().orElseThrow();
        assertThat(receiving.getElement().getChild(0).getText()).isEqualTo("1");
        var inFlight = view.flow().getChildren()
                .filter(c -> "in-flight".equals(c.getElement().getAttribute("data-state"))).findFirst().orElseThrow();
        assertThat(inFlight.getElement().getChild(0).getText()).isEqualTo("1000 B");
        assertThat(view.stuck().getChildren().map(c -> c.getElement().getTextRecursively()).toList())
                .anySatisfy(t -> assertThat(t).startsWith("Not finished after").contains("Hill Clinic, sending"));
        test(view.userFilter).setValue("nurse");
        assertThat(test(view.grid()).size()).isEqualTo(1);
        test(view.stateFilter).selectItem("delivered");
        assertThat(test(view.grid()).size()).isZero();
        test(view.stateFilter).selectItem("sending");
        assertThat(test(view.grid()).size()).isEqualTo(1);
        assertThat($(SideNav.class).single().getItems()).extracting(SideNavItem::getLabel)
                .containsExactly("Send images", "Dashboard", "Destinations", "People and clinics", "Audit log");
    }

    @Test
    @WithUserDetails(value = "nurse", setupBefore = TestExecutionEvent.TEST_EXECUTION)
    void anUploaderCannotOpenTheDestinationsOrTheAuditLog() {
        for (Class<? extends Component> adminOnly : List.of(DestinationsView.class, AuditView.class, UsersView.class)) {
            try {
                navigate(adminOnly);
            } catch (RuntimeException | AssertionError refused) {
                // refused either way
            }
            assertThat(getCurrentView()).isNotInstanceOf(adminOnly);
        }
    }

    @Test
    @WithUserDetails(value = "admin", setupBefore = TestExecutionEvent.TEST_EXECUTION)
    void anAdministratorFindsAUsersUploadAndCancelsIt() {
        if (!users.exists("sender")) {
            users.createUser("sender", "sender-password", Role.UPLOADER, "Cancel Clinic");
        }
        var sender = users.findCaller("sender").orElseThrow();
        uploads.init(sender, new UploadDeclaration("cancel-me.dcm", 2000L, null, null, null, null));
        DashboardView view = navigate(DashboardView.class);
        test(view.userFilter).setValue("other");
        assertThat(test(view.grid()).size()).isZero();
        test(view.userFilter).setValue("sender");
        var grid = test(view.grid());
        int row = -1;
        for (int i = 0; i < grid.size(); i++) {
            if (grid.getCellText(i, 0).equals("cancel-me.dcm")) {
                row = i;
            }
        }
        assertThat(row).isNotNegative();
        test((Button) grid.getCellComponent(row, 3)).click();
        assertThat(view.actionStatus().getText()).startsWith("The upload was cancelled");
        assertThat(uploads.recent(sender, 50)).filteredOn(u -> "cancel-me.dcm".equals(u.fileName())).singleElement()
                .satisfies(u -> assertThat(u.error()).startsWith("Cancelled by an administrator"));
    }

    @Test
    @WithUserDetails(value = "admin", setupBefore = TestExecutionEvent.TEST_EXECUTION)
    void anAdministratorAddsAPersonToANewClinicTurnsTheirAccessOffAndForcesDeidentification() {
        UsersView view = navigate(UsersView.class);
        test(view.newClinic).setValue("Hill Clinic");
        test(view.addClinic).click();
        assertThat(view.status().getText()).isEqualTo("Not added: There is already a clinic called Hill Clinic.");
        test(view.newClinic).setValue("Lake Clinic");
        test(view.addClinic).click();
        assertThat(view.status().getText()).startsWith("Lake Clinic is added.");
        assertThat(test(view.clinics()).size()).isEqualTo(users.clinics().size());
        test(view.username).setValue("radiographer");
        test(view.password).setValue("short");
        view.clinic.setValue("Valley Clinic"); // typed: a clinic that does not exist yet
        test(view.add).click();
        assertThat(view.status().getText()).isEqualTo("Not added: The password must be at least 10 characters long.");
        test(view.password).setValue("long-enough-password");
        test(view.add).click();
        assertThat(view.status().getText()).isEqualTo("radiographer can now sign in.");
        assertThat(users.authenticate("radiographer", "long-enough-password")).isPresent();
        var people = test(view.people());
        int row = -1;
        for (int i = 0; i < people.size(); i++) {
            if (people.getCellText(i, 0).equals("radiographer")) {
                row = i;
            }
        }
        assertThat(people.getCellText(row, 2)).isEqualTo("Valley Clinic");
        test((Button) people.getCellComponent(row, 3)).click();
        assertThat(view.status().getText()).isEqualTo("radiographer can no longer sign in.");
        assertThat(users.authenticate("radiographer", "long-enough-password")).isEmpty();

        var clinics = test(view.clinics());
        for (int i = 0; i < clinics.size(); i++) {
            if (clinics.getCellText(i, 0).equals("Valley Clinic")) {
                test((Checkbox) clinics.getCellComponent(i, 1)).click();
            }
        }
        assertThat(view.status().getText()).isEqualTo("Valley Clinic now de-identifies every upload.");

        for (int i = 0; i < clinics.size(); i++) {
            if (clinics.getCellText(i, 0).equals("Valley Clinic")) {
                test((Button) clinics.getCellComponent(i, 2)).click();
            }
        }
        String setup = view.tabletSetupLink().getHref();
        assertThat(setup).contains("/kiosk/setup/");
        String code = setup.substring(setup.lastIndexOf('/') + 1);
        assertThat(kiosk.signIn(code)).as("a setup code is not a device key").isEmpty();
        String key = kiosk.setUp(code).orElseThrow();
        var tablet = kiosk.signIn(key).orElseThrow();
        assertThat(tablet.clinic()).isEqualTo("Valley Clinic");
        assertThat(kiosk.signIn("not-a-device-key")).isEmpty();
        assertThat(test(view.people()).size()).as("tablets are not people").isEqualTo(users.users().size());
        var tablets = test(view.tablets());
        int tabletRow = -1;
        for (int i = 0; i < tablets.size(); i++) {
            if (tablets.getCellText(i, 1).equals("Valley Clinic")) {
                tabletRow = i;
            }
        }
        assertThat(tablets.getCellText(tabletRow, 2)).startsWith("waiting: link valid until");
        test((Button) tablets.getCellComponent(tabletRow, 4)).click();
        assertThat(view.status().getText()).endsWith("is revoked: it stops at its next request.");
        assertThat(kiosk.signIn(key)).isEmpty();
        assertThat(users.clinics()).filteredOn(c -> c.name().equals("Valley Clinic")).singleElement()
                .extracting(Clinics.ClinicProfile::deidentify).isEqualTo(true);
    }

    @Test
    @WithUserDetails(value = "admin", setupBefore = TestExecutionEvent.TEST_EXECUTION)
    void anAdministratorFiltersTheAuditLogWhichHoldsNoPatientDetails() {
        AuditView view = navigate(AuditView.class);
        assertThat(test(view.grid()).size()).isPositive();
        test(view.type).selectItem("UPLOAD_STARTED");
        test(view.user).setValue("nurse");
        test(view.apply).click();
        assertThat(test(view.grid()).size()).isEqualTo(1);
        assertThat(test(view.grid()).getCellText(0, 1)).isEqualTo("UPLOAD_STARTED");
        assertThat(test(view.grid()).getCellText(0, 2)).isEqualTo("nurse");
        assertThat(test(view.grid()).getCellText(0, 5)).isEqualTo("{\"chunks\":1,\"size\":1000}").doesNotContain("knee");
        test(view.user).setValue("nobody");
        test(view.apply).click();
        assertThat(test(view.grid()).size()).isZero();
    }

    @Test
    @WithUserDetails(value = "admin", setupBefore = TestExecutionEvent.TEST_EXECUTION)
    void anAdministratorAddsAnOrthancDestinationChecksItAndRoutesAClinicToIt() {
        DestinationsView view = navigate(DestinationsView.class);
        test(view.add).click();
        test(view.name).setValue("Hill PACS");
        test(view.kind).selectItem("Orthanc REST");
        assertThat(view.host.isVisible()).isFalse();
        test(view.url).setValue("ftp://wrong");
        test(view.save).click();
        assertThat(view.status().getText()).isEqualTo("Not saved: The URL must start with http:// or https://.");

        test(view.url).setValue(OrthancProcess.shared().baseUrl());
        test(view.save).click();
        assertThat(view.status().getText()).isEqualTo("Hill PACS is saved.");
        assertThat(test(view.grid()).size()).isEqualTo(1);
        assertThat(test(view.grid()).getCellText(0, 2)).isEqualTo(OrthancProcess.shared().baseUrl());
        test(view.check).click();
        assertThat(view.status().getText()).matches("Orthanc 1\\.[0-9.]+ answered\\.");

        test(view.webhookUrl).setValue("https://worklist.example.org/relaypacs");
        test(view.saveWebhook).click();
        assertThat(view.status().getText()).isEqualTo("Not saved: Give the webhook a secret (at least 16 characters) to sign its calls with.");
        test(view.webhookSecret).setValue("the-worklist-shared-secret");
        test(view.saveWebhook).click();
        assertThat(view.status().getText()).isEqualTo("The reading side will hear of each study delivered to Hill PACS.");
        assertThat(view.webhookSecret.getPlaceholder()).as("kept, never shown again").isEqualTo("stored");

        test(view.kind).selectItem("DICOM C-STORE");
        assertThat(view.host.isVisible()).isTrue();
        test(view.host).setValue("127.0.0.1");
        test(view.save).click();
        assertThat(view.status().getText()).startsWith("Not saved: A C-STORE destination needs a host and a port");

        test(view.clinic).selectItem("Hill Clinic");
        test(view.primary).selectItem("Hill PACS");
        test(view.saveRoute).click();
        assertThat(view.status().getText()).isEqualTo("Hill Clinic now sends to Hill PACS.");
        assertThat(destinations.clinicRoutes()).filteredOn(r -> r.clinic().equals("Hill Clinic"))
                .singleElement().extracting(DestinationService.ClinicRoute::primary).isNotNull();
    }
}
