package io.relaypacs.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.relaypacs.security.Caller;
import io.relaypacs.security.Clinics.ClinicProfile;
import io.relaypacs.security.CurrentCaller;
import io.relaypacs.security.KioskService;
import io.relaypacs.security.Role;
import io.relaypacs.security.UserService;
import jakarta.annotation.security.RolesAllowed;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;

/** People and clinics: add a person to a clinic (new or existing), turn access off and on, force de-identification. */
@Route("admin/users")
@PageTitle("People and clinics · RelayPACS")
@RolesAllowed("ADMIN")
public class UsersView extends VerticalLayout {
    private final UserService users;
    private final KioskService kiosk;
    private final Div tabletSetup = new Div();
    private final Grid<UserService.UserSummary> people = new Grid<>();
    private final Grid<ClinicProfile> clinics = new Grid<>();
    private final Grid<KioskService.Tablet> tablets = new Grid<>();
    private static final DateTimeFormatter WHEN =
            java.time.format.DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm").withZone(java.time.ZoneId.systemDefault());
    private final Paragraph status = new Paragraph();
    final TextField username = new TextField("User name");
    final PasswordField password = new PasswordField("Password (at least 10 characters)");
    final Select<Role> role = new Select<>();
    final ComboBox<String> clinic = new ComboBox<>("Clinic");
    final Button add = new Button("Add person", e -> add());
    final TextField newClinic = new TextField("New clinic");
    final Button addClinic = new Button("Add clinic", e -> addClinic());

    private final PublicAddress address;

    public UsersView(UserService users, KioskService kiosk, PublicAddress address) {
        this.address = address;
        this.users = users;
        this.kiosk = kiosk;
        addClassName("users-view");
        role.setLabel("Role");
        role.setItems(Role.values());
        role.setItemLabelGenerator(r -> r == Role.ADMIN ? "Administrator (all clinics)" : "Sends images for their clinic");
        role.setValue(Role.UPLOADER);
        clinic.setAllowCustomValue(true);
        clinic.addCustomValueSetListener(e -> clinic.setValue(e.getDetail()));
        clinic.setHelperText("Choose one, or type a new clinic's name.");
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        status.getElement().setAttribute("role", "status");

        people.addColumn(UserService.UserSummary::username).setHeader("User name").setAutoWidth(true);
        people.addColumn(u -> u.role() == Role.ADMIN ? "administrator" : "sends images").setHeader("Role").setAutoWidth(true);
        people.addColumn(UserService.UserSummary::clinic).setHeader("Clinic").setAutoWidth(true);
        people.addComponentColumn(u -> {
            Button toggle = new Button(u.enabled() ? "Turn access off" : "Turn access on", e -> setEnabled(u, !u.enabled()));
            toggle.addThemeVariants(ButtonVariant.LUMO_SMALL);
            toggle.setEnabled(!u.username().equals(actor()));
            return toggle;
        }).setHeader("Access").setAutoWidth(true);
        people.setAllRowsVisible(true);

        clinics.addColumn(ClinicProfile::name).setHeader("Clinic").setAutoWidth(true);
        clinics.addComponentColumn(c -> {
            Checkbox box = new Checkbox("Always remove patient details (de-identify)", c.deidentify());
            box.addValueChangeListener(e -> {
                users.setClinicDeidentify(actor(), c.id(), e.getValue());
                status.setText(c.name() + (e.getValue() ? " now de-identifies every upload." : " lets uploaders choose."));
            });
            return box;
        }).setHeader("Policy").setFlexGrow(1);
        clinics.addComponentColumn(c -> {
            Button tablet = new Button("Set up a tablet", e -> setUpTablet(c));
            tablet.addThemeVariants(ButtonVariant.LUMO_SMALL);
            return tablet;
        }).setHeader("Kiosk").setAutoWidth(true);
        clinics.setAllRowsVisible(true);

        tablets.addColumn(KioskService.Tablet::name).setHeader("Tablet").setAutoWidth(true);
        tablets.addColumn(KioskService.Tablet::clinic).setHeader("Clinic").setAutoWidth(true);
        tablets.addColumn(UsersView::setUp).setHeader("Set up").setAutoWidth(true);
        tablets.addColumn(t -> t.lastSeenAt() == null ? "never" : WHEN.format(t.lastSeenAt())).setHeader("Last seen").setAutoWidth(true);
        tablets.addComponentColumn(t -> {
            if (t.revoked()) {
                return new Span("Revoked " + WHEN.format(t.revokedAt()));
            }
            Button revoke = new Button("Revoke", e -> revoke(t));
            revoke.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
            return revoke;
        }).setHeader("Access").setAutoWidth(true);
        tablets.setAllRowsVisible(true);

        FormLayout form = new FormLayout(username, password, role, clinic);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("40em", 2));
        HorizontalLayout clinicForm =
                new HorizontalLayout(newClinic, addClinic);
        clinicForm.setAlignItems(Alignment.BASELINE);
        add(new H2("People and clinics"), people, new H3("Add a person"), form, add, status, new H3("Clinics"), clinics,
                clinicForm, tabletSetup, new H3("Tablets"), tablets,
                new Paragraph("Where each clinic's images go is set under Destinations."));
        refresh();
    }

    private void refresh() {
        people.setItems(users.users());
        List<ClinicProfile> all = users.clinics().stream().sorted(Comparator.comparing(ClinicProfile::name)).toList();
        clinics.setItems(all);
        clinic.setItems(all.stream().map(ClinicProfile::name).toList());
        tablets.setItems(kiosk.tablets());
    }

    private static String setUp(KioskService.Tablet t) {
        if (t.setUpAt() != null) {
            return WHEN.format(t.setUpAt());
        }
        return t.revoked() || t.setupExpiresAt() == null || t.setupExpiresAt().isBefore(Instant.now())
                ? "not set up (link expired)" : "waiting: link valid until " + WHEN.format(t.setupExpiresAt());
    }

    private void revoke(KioskService.Tablet t) {
        kiosk.revoke(actor(), t.id());
        status.setText(t.name() + " of " + t.clinic() + " is revoked: it stops at its next request.");
        refresh();
    }

    Grid<KioskService.Tablet> tablets() {
        return tablets;
    }

    void add() {
        try {
            Caller created = users.addUser(actor(), username.getValue(), password.getValue(), role.getValue(), clinic.getValue());
            status.setText(created.username() + " can now sign in.");
            username.clear();
            password.clear();
            refresh();
        } catch (IllegalArgumentException e) {
            status.setText("Not added: " + e.getMessage());
        }
    }

    void addClinic() {
        try {
            ClinicProfile created = users.addClinic(actor(), newClinic.getValue());
            status.setText(created.name() + " is added. Add its people, and its destination under Destinations.");
            newClinic.clear();
            refresh();
        } catch (IllegalArgumentException e) {
            status.setText("Not added: " + e.getMessage());
        }
    }

    void setUpTablet(ClinicProfile c) {
        String code = kiosk.register(actor(), c.id());
        String link = address.base() + "/kiosk/setup/" + code;
        Anchor anchor = new Anchor(link, link);
        anchor.setId("kiosk-setup-link");
        tabletSetup.removeAll();
        tabletSetup.add(new Paragraph("Open this link on the tablet for " + c.name() + " within 15 minutes (it works "
                + "once and is shown only now; the tablet then opens the kiosk by itself):"), new Paragraph(anchor));
        refresh();
    }

    private void setEnabled(UserService.UserSummary user, boolean enabled) {
        users.setEnabled(actor(), user.id(), enabled);
        status.setText(user.username() + (enabled ? " can sign in again." : " can no longer sign in."));
        refresh();
    }

    private static String actor() {
        return CurrentCaller.get().map(Caller::username).orElse(null);
    }

    Grid<UserService.UserSummary> people() {
        return people;
    }

    Grid<ClinicProfile> clinics() {
        return clinics;
    }

    Anchor tabletSetupLink() {
        return (Anchor) tabletSetup.getChildren()
                .flatMap(Component::getChildren)
                .filter(c -> c instanceof Anchor).findFirst().orElseThrow();
    }

    Paragraph status() {
        return status;
    }
}
