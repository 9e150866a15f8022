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
import com.vaadin.flow.router.HasDynamicTitle;
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
import java.time.format.FormatStyle;
import java.util.Comparator;
import java.util.List;

/** People and clinics: add a person to a clinic (new or existing), turn access off and on, force de-identification. */
@Route("admin/users")
@RolesAllowed("ADMIN")
public class UsersView extends VerticalLayout implements HasDynamicTitle {
    private final UserService users;
    private final KioskService kiosk;
    private final Div tabletSetup = new Div();
    private final Grid<UserService.UserSummary> people = new Grid<>();
    private final Grid<ClinicProfile> clinics = new Grid<>();
    private final Grid<KioskService.Tablet> tablets = new Grid<>();
    private final DateTimeFormatter when = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
            .withLocale(getLocale()).withZone(ZoneId.systemDefault());
    private final Paragraph status = new Paragraph();
    final TextField username = new TextField(getTranslation("dest.username"));
    final PasswordField password = new PasswordField(getTranslation("users.password"));
    final Select<Role> role = new Select<>();
    final ComboBox<String> clinic = new ComboBox<>(getTranslation("browser.clinic"));
    final Button add = new Button(getTranslation("users.add"), e -> add());
    final TextField newClinic = new TextField(getTranslation("users.newClinic"));
    final Button addClinic = new Button(getTranslation("users.addClinic"), e -> addClinic());

    private final PublicAddress address;

    public UsersView(UserService users, KioskService kiosk, PublicAddress address) {
        this.address = address;
        this.users = users;
        this.kiosk = kiosk;
        addClassName("users-view");
        role.setLabel(getTranslation("users.role"));
        role.setItems(Role.values());
        role.setItemLabelGenerator(r -> getTranslation("users.role." + r.name()));
        role.setValue(Role.UPLOADER);
        clinic.setAllowCustomValue(true);
        clinic.addCustomValueSetListener(e -> clinic.setValue(e.getDetail()));
        clinic.setHelperText(getTranslation("users.clinicHelp"));
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        status.getElement().setAttribute("role", "status");

        people.addColumn(UserService.UserSummary::username).setHeader(getTranslation("dest.username")).setAutoWidth(true);
        people.addColumn(u -> getTranslation("users.short." + u.role().name())).setHeader(getTranslation("users.role")).setAutoWidth(true);
        people.addColumn(UserService.UserSummary::clinic).setHeader(getTranslation("browser.clinic")).setAutoWidth(true);
        people.addComponentColumn(u -> {
            Button toggle = new Button(getTranslation(u.enabled() ? "users.accessOff" : "users.accessOn"), e -> setEnabled(u, !u.enabled()));
            toggle.addThemeVariants(ButtonVariant.LUMO_SMALL);
            toggle.setEnabled(!u.username().equals(actor()));
            return toggle;
        }).setHeader(getTranslation("users.access")).setAutoWidth(true);
        people.setAllRowsVisible(true);

        clinics.addColumn(ClinicProfile::name).setHeader(getTranslation("browser.clinic")).setAutoWidth(true);
        clinics.addComponentColumn(c -> {
            Checkbox box = new Checkbox(getTranslation("users.deidentify"), c.deidentify());
            box.addValueChangeListener(e -> {
                users.setClinicDeidentify(actor(), c.id(), e.getValue());
                status.setText(getTranslation(e.getValue() ? "users.deidentifyOn" : "users.deidentifyOff", c.name()));
            });
            return box;
        }).setHeader(getTranslation("users.policy")).setFlexGrow(1);
        clinics.addComponentColumn(c -> {
            Button tablet = new Button(getTranslation("users.setUpTablet"), e -> setUpTablet(c));
            tablet.addClassName("set-up-tablet");
            tablet.addThemeVariants(ButtonVariant.LUMO_SMALL);
            return tablet;
        }).setHeader(getTranslation("users.kiosk")).setAutoWidth(true);
        clinics.setAllRowsVisible(true);

        tablets.addColumn(KioskService.Tablet::name).setHeader(getTranslation("users.tablet")).setAutoWidth(true);
        tablets.addColumn(KioskService.Tablet::clinic).setHeader(getTranslation("browser.clinic")).setAutoWidth(true);
        tablets.addColumn(this::setUp).setHeader(getTranslation("users.setUp")).setAutoWidth(true);
        tablets.addColumn(t -> t.lastSeenAt() == null ? getTranslation("users.never") : when.format(t.lastSeenAt())).setHeader(getTranslation("users.lastSeen")).setAutoWidth(true);
        tablets.addComponentColumn(t -> {
            if (t.revoked()) {
                return new Span(getTranslation("users.revokedAt", when.format(t.revokedAt())));
            }
            Button revoke = new Button(getTranslation("users.revoke"), e -> revoke(t));
            revoke.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
            return revoke;
        }).setHeader(getTranslation("users.access")).setAutoWidth(true);
        tablets.setAllRowsVisible(true);

        FormLayout form = new FormLayout(username, password, role, clinic);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("40em", 2));
        HorizontalLayout clinicForm =
                new HorizontalLayout(newClinic, addClinic);
        clinicForm.setAlignItems(Alignment.BASELINE);
        add(new H2(getTranslation("nav.users")), people, new H3(getTranslation("users.addPerson")), form, add, status,
                new H3(getTranslation("users.clinics")), clinics, clinicForm, tabletSetup, new H3(getTranslation("users.tablets")), tablets,
                new Paragraph(getTranslation("users.routesElsewhere")));
        refresh();
    }

    private void refresh() {
        people.setItems(users.users());
        List<ClinicProfile> all = users.clinics().stream().sorted(Comparator.comparing(ClinicProfile::name)).toList();
        clinics.setItems(all);
        clinic.setItems(all.stream().map(ClinicProfile::name).toList());
        tablets.setItems(kiosk.tablets());
    }

    private String setUp(KioskService.Tablet t) {
        if (t.setUpAt() != null) {
            return when.format(t.setUpAt());
        }
        return t.revoked() || t.setupExpiresAt() == null || t.setupExpiresAt().isBefore(Instant.now())
                ? getTranslation("users.linkExpired") : getTranslation("users.linkWaiting", when.format(t.setupExpiresAt()));
    }

    private void revoke(KioskService.Tablet t) {
        kiosk.revoke(actor(), t.id());
        status.setText(getTranslation("users.revoked", t.name(), t.clinic()));
        refresh();
    }

    Grid<KioskService.Tablet> tablets() {
        return tablets;
    }

    void add() {
        try {
            Caller created = users.addUser(actor(), username.getValue(), password.getValue(), role.getValue(), clinic.getValue());
            status.setText(getTranslation("users.added", created.username()));
            username.clear();
            password.clear();
            refresh();
        } catch (IllegalArgumentException e) {
            status.setText(getTranslation("users.notAdded", UiTranslations.fromServer(e.getMessage())));
        }
    }

    void addClinic() {
        try {
            ClinicProfile created = users.addClinic(actor(), newClinic.getValue());
            status.setText(getTranslation("users.clinicAdded", created.name()));
            newClinic.clear();
            refresh();
        } catch (IllegalArgumentException e) {
            status.setText(getTranslation("users.notAdded", UiTranslations.fromServer(e.getMessage())));
        }
    }

    void setUpTablet(ClinicProfile c) {
        String code = kiosk.register(actor(), c.id());
        String link = address.base() + "/kiosk/setup/" + code;
        Anchor anchor = new Anchor(link, link);
        anchor.setId("kiosk-setup-link");
        tabletSetup.removeAll();
        tabletSetup.add(new Paragraph(getTranslation("users.tabletLink", c.name())), new Paragraph(anchor));
        refresh();
    }

    private void setEnabled(UserService.UserSummary user, boolean enabled) {
        users.setEnabled(actor(), user.id(), enabled);
        status.setText(getTranslation(enabled ? "users.enabled" : "users.disabled", user.username()));
        refresh();
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.users") + " · RelayPACS";
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
