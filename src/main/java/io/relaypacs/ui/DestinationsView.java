package io.relaypacs.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.relaypacs.forward.AuthKind;
import io.relaypacs.forward.DefaultRole;
import io.relaypacs.forward.DestinationKind;
import io.relaypacs.forward.DestinationService;
import io.relaypacs.forward.PacsDestination;
import jakarta.annotation.security.RolesAllowed;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Where images are delivered: destinations (DICOMweb, Orthanc REST, C-STORE), their check, and each clinic's route. */
@Route("admin/destinations")
@PageTitle("Destinations · RelayPACS")
@RolesAllowed("ADMIN")
public class DestinationsView extends VerticalLayout {
    private final DestinationService destinations;
    private final Grid<PacsDestination> grid = new Grid<>();
    private final Paragraph status = new Paragraph();

    final TextField name = new TextField("Name");
    final Select<DestinationKind> kind = new Select<>();
    final TextField url = new TextField("URL");
    final Select<AuthKind> auth = new Select<>();
    final TextField username = new TextField("User name");
    final PasswordField secret = new PasswordField("Password or token");
    final TextField trustStore = new TextField("Trust store file (for a private CA)");
    final PasswordField trustStorePassword = new PasswordField("Trust store password");
    final TextField host = new TextField("Host");
    final IntegerField port = new IntegerField("Port");
    final TextField calledAe = new TextField("PACS AE title");
    final TextField callingAe = new TextField("RelayPACS AE title");
    final Select<Optional<DefaultRole>> defaultRole = new Select<>();
    final Checkbox enabled = new Checkbox("In use");
    final Button save = new Button("Save", e -> save());
    final Button check = new Button("Check connection", e -> check());
    final Button add = new Button("New destination", e -> edit(new PacsDestination()));

    final Select<DestinationService.ClinicRoute> clinic = new Select<>();
    final Select<Optional<PacsDestination>> primary = new Select<>();
    final Select<Optional<PacsDestination>> fallback = new Select<>();
    final Button saveRoute = new Button("Save route", e -> saveRoute());

    private PacsDestination editing = new PacsDestination();

    public DestinationsView(DestinationService destinations) {
        this.destinations = destinations;
        addClassName("destinations-view");
        grid.addColumn(PacsDestination::getName).setHeader("Name").setAutoWidth(true);
        grid.addColumn(d -> d.getKind().label()).setHeader("Kind").setAutoWidth(true);
        grid.addColumn(PacsDestination::address).setHeader("Address").setFlexGrow(1);
        grid.addColumn(d -> d.getDefaultRole() == null ? "" : "default " + d.getDefaultRole().name().toLowerCase())
                .setHeader("Default for clinics").setAutoWidth(true);
        grid.addColumn(d -> (d.isEnabled() ? "in use" : "not in use") + (d.isFromConfiguration() ? ", from configuration" : ""))
                .setHeader("State").setAutoWidth(true);
        grid.asSingleSelect().addValueChangeListener(e -> {
            if (e.getValue() != null) {
                edit(e.getValue());
            }
        });
        grid.setEmptyStateText("No destination yet: images wait until one is added.");
        grid.setAllRowsVisible(true);

        kind.setLabel("Kind");
        kind.setItems(DestinationKind.values());
        kind.setItemLabelGenerator(DestinationKind::label);
        kind.addValueChangeListener(e -> showFieldsFor(e.getValue()));
        auth.setLabel("Authentication");
        auth.setItems(AuthKind.values());
        auth.setItemLabelGenerator(a -> switch (a) {
            case NONE -> "None";
            case BASIC -> "User name and password (Basic)";
            case BEARER -> "Token (Bearer)";
        });
        secret.setHelperText("Leave empty to keep the stored one.");
        defaultRole.setLabel("Default for clinics without their own");
        defaultRole.setItems(Optional.empty(), Optional.of(DefaultRole.PRIMARY), Optional.of(DefaultRole.FALLBACK));
        defaultRole.setItemLabelGenerator(r -> r.map(x -> x == DefaultRole.PRIMARY ? "Primary" : "Fallback").orElse("No"));
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        status.getElement().setAttribute("role", "status");
        status.addClassName("destination-status");

        FormLayout form = new FormLayout(name, kind, url, auth, username, secret, trustStore, trustStorePassword, host, port,
                calledAe, callingAe, defaultRole, enabled);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("40em", 2));

        clinic.setLabel("Clinic");
        clinic.setItemLabelGenerator(DestinationService.ClinicRoute::clinic);
        clinic.addValueChangeListener(e -> showRoute(e.getValue()));
        primary.setLabel("Primary");
        fallback.setLabel("Fallback");
        HorizontalLayout route = new HorizontalLayout(clinic, primary, fallback, saveRoute);
        route.setAlignItems(Alignment.BASELINE);
        route.setWrap(true);

        add(new H2("Where images are sent"), grid, add, new H3("Destination"), form,
                new HorizontalLayout(save, check), status, new H3("Route of a clinic"), route);
        refresh();
        edit(new PacsDestination());
    }

    private void refresh() {
        List<PacsDestination> all = destinations.list();
        grid.setItems(all);
        List<Optional<PacsDestination>> choices = new java.util.ArrayList<>();
        choices.add(Optional.empty());
        all.forEach(d -> choices.add(Optional.of(d)));
        for (Select<Optional<PacsDestination>> s : List.of(primary, fallback)) {
            s.setItems(choices);
            s.setItemLabelGenerator(o -> o.map(PacsDestination::getName).orElse("The default"));
        }
        clinic.setItems(destinations.clinicRoutes());
    }

    void edit(PacsDestination d) {
        editing = d;
        name.setValue(nullToEmpty(d.getName()));
        kind.setValue(d.getKind());
        url.setValue(nullToEmpty(d.getUrl()));
        auth.setValue(d.getAuth());
        username.setValue(nullToEmpty(d.getUsername()));
        secret.clear();
        secret.setPlaceholder(d.hasSecret() ? "stored" : "");
        trustStore.setValue(nullToEmpty(d.getTrustStore()));
        trustStorePassword.clear();
        host.setValue(nullToEmpty(d.getHost()));
        port.setValue(d.getPort());
        calledAe.setValue(nullToEmpty(d.getCalledAe()));
        callingAe.setValue(d.getCallingAe() == null ? "RELAYPACS" : d.getCallingAe());
        defaultRole.setValue(Optional.ofNullable(d.getDefaultRole()));
        enabled.setValue(d.isEnabled());
        check.setEnabled(d.getId() != null);
        status.setText("");
    }

    private void showFieldsFor(DestinationKind k) {
        boolean dimse = k == DestinationKind.DIMSE;
        for (com.vaadin.flow.component.Component c : List.<com.vaadin.flow.component.Component>of(url, auth, username,
                secret, trustStore, trustStorePassword)) {
            c.setVisible(!dimse);
        }
        for (com.vaadin.flow.component.Component c : List.<com.vaadin.flow.component.Component>of(host, port, calledAe, callingAe)) {
            c.setVisible(dimse);
        }
        url.setHelperText(k == DestinationKind.ORTHANC ? "The Orthanc root, e.g. https://pacs.example.org:8042"
                : "The DICOMweb root (the part before /studies), e.g. https://pacs.example.org/dicom-web");
    }

    void save() {
        editing.setName(name.getValue());
        editing.setKind(kind.getValue());
        editing.setUrl(url.getValue());
        editing.setAuth(auth.getValue());
        editing.setUsername(username.getValue().isBlank() ? null : username.getValue().strip());
        editing.setTrustStore(trustStore.getValue().isBlank() ? null : trustStore.getValue().strip());
        editing.setHost(host.getValue().isBlank() ? null : host.getValue().strip());
        editing.setPort(port.getValue());
        editing.setCalledAe(calledAe.getValue().isBlank() ? null : calledAe.getValue().strip());
        editing.setCallingAe(callingAe.getValue().isBlank() ? null : callingAe.getValue().strip());
        editing.setDefaultRole(defaultRole.getValue() == null ? null : defaultRole.getValue().orElse(null));
        editing.setEnabled(enabled.getValue());
        try {
            PacsDestination saved = destinations.save(editing,
                    secret.isEmpty() ? (editing.getAuth() == AuthKind.NONE ? "" : null) : secret.getValue(),
                    trustStorePassword.isEmpty() ? null : trustStorePassword.getValue());
            refresh();
            edit(saved);
            status.setText(saved.getName() + " is saved.");
        } catch (IllegalArgumentException | org.springframework.dao.DataAccessException e) {
            status.setText("Not saved: " + (e instanceof IllegalArgumentException ? e.getMessage()
                    : "the destination was changed elsewhere; open it again."));
            if (editing.getId() != null) {
                destinations.find(editing.getId()).ifPresent(fresh -> editing = fresh);
            }
        }
    }

    void check() {
        if (editing.getId() == null) {
            return;
        }
        DestinationService.CheckResult result = destinations.check(editing.getId());
        status.setText(result.message());
        status.getElement().setAttribute("data-reachable", String.valueOf(result.reachable()));
    }

    private void showRoute(DestinationService.ClinicRoute route) {
        Map<Long, PacsDestination> byId = destinations.list().stream()
                .collect(Collectors.toMap(PacsDestination::getId, Function.identity()));
        primary.setValue(route == null || route.primary() == null ? Optional.empty() : Optional.ofNullable(byId.get(route.primary())));
        fallback.setValue(route == null || route.fallback() == null ? Optional.empty() : Optional.ofNullable(byId.get(route.fallback())));
    }

    void saveRoute() {
        DestinationService.ClinicRoute route = clinic.getValue();
        if (route == null) {
            status.setText("Choose a clinic first.");
            return;
        }
        try {
            destinations.setRoute(route.clinicId(), idOf(primary.getValue()), idOf(fallback.getValue()));
            status.setText(route.clinic() + " now sends to " + primary.getValue().map(PacsDestination::getName)
                    .orElse("the default destination") + ".");
            refresh();
        } catch (IllegalArgumentException e) {
            status.setText("Not saved: " + e.getMessage());
        }
    }

    private static Long idOf(Optional<PacsDestination> d) {
        return d == null ? null : d.map(PacsDestination::getId).orElse(null);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    Grid<PacsDestination> grid() {
        return grid;
    }

    Paragraph status() {
        return status;
    }
}
