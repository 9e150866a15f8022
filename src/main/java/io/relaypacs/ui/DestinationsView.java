package io.relaypacs.ui;

import com.vaadin.flow.component.Component;
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
import io.relaypacs.forward.DestinationForm;
import io.relaypacs.forward.DestinationKind;
import io.relaypacs.forward.DestinationService;
import io.relaypacs.forward.StudyWebhooks;
import io.relaypacs.security.Caller;
import io.relaypacs.security.CurrentCaller;
import jakarta.annotation.security.RolesAllowed;
import org.springframework.dao.DataAccessException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    private final Grid<DestinationForm> grid = new Grid<>();
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
    final Button add = new Button("New destination", e -> edit(DestinationForm.blank()));

    final Select<DestinationService.ClinicRoute> clinic = new Select<>();
    final Select<Optional<DestinationForm>> primary = new Select<>();
    final Select<Optional<DestinationForm>> fallback = new Select<>();
    final Button saveRoute = new Button("Save route", e -> saveRoute());

    final Checkbox decompress = new Checkbox("If this PACS refuses compressed images (JPEG 2000, JPEG-LS, RLE, "
            + "JPEG), send them decompressed");
    final TextField webhookUrl = new TextField("Tell the reading side (webhook URL)");
    final PasswordField webhookSecret = new PasswordField("Webhook secret");
    final Button saveWebhook = new Button("Save webhook", e -> saveWebhook());

    private DestinationForm editing = DestinationForm.blank();
    private final StudyWebhooks webhooks;

    public DestinationsView(DestinationService destinations, StudyWebhooks webhooks) {
        this.destinations = destinations;
        this.webhooks = webhooks;
        addClassName("destinations-view");
        grid.addColumn(DestinationForm::name).setHeader("Name").setAutoWidth(true);
        grid.addColumn(d -> d.kind().label()).setHeader("Kind").setAutoWidth(true);
        grid.addColumn(DestinationForm::address).setHeader("Address").setFlexGrow(1);
        grid.addColumn(d -> d.defaultRole() == null ? "" : "default " + d.defaultRole().name().toLowerCase(Locale.ROOT))
                .setHeader("Default for clinics").setAutoWidth(true);
        grid.addColumn(d -> (d.enabled() ? "in use" : "not in use") + (d.fromConfiguration() ? ", from configuration" : ""))
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
                calledAe, callingAe, defaultRole, enabled, decompress);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("40em", 2));

        clinic.setLabel("Clinic");
        clinic.setItemLabelGenerator(DestinationService.ClinicRoute::clinic);
        clinic.addValueChangeListener(e -> showRoute(e.getValue()));
        primary.setLabel("Primary");
        fallback.setLabel("Fallback");
        HorizontalLayout route = new HorizontalLayout(clinic, primary, fallback, saveRoute);
        route.setAlignItems(Alignment.BASELINE);
        route.setWrap(true);

        webhookUrl.setHelperText("Called once per study delivered here (study UID, clinic, counts; no patient details), "
                + "so a worklist need not poll. Empty: no webhook.");
        webhookSecret.setHelperText("Signs each call (HMAC-SHA256, header RelayPACS-Signature). At least 16 characters; "
                + "leave empty to keep the stored one.");
        HorizontalLayout webhook = new HorizontalLayout(webhookUrl, webhookSecret, saveWebhook);
        webhook.setAlignItems(Alignment.BASELINE);
        webhook.setWrap(true);

        add(new H2("Where images are sent"), grid, add, new H3("Destination"), form,
                new HorizontalLayout(save, check), webhook, status, new H3("Route of a clinic"), route);
        refresh();
        edit(DestinationForm.blank());
    }

    private void refresh() {
        List<DestinationForm> all = destinations.list();
        grid.setItems(all);
        List<Optional<DestinationForm>> choices = new ArrayList<>();
        choices.add(Optional.empty());
        all.forEach(d -> choices.add(Optional.of(d)));
        for (Select<Optional<DestinationForm>> s : List.of(primary, fallback)) {
            s.setItems(choices);
            s.setItemLabelGenerator(o -> o.map(DestinationForm::name).orElse("The default"));
        }
        clinic.setItems(destinations.clinicRoutes());
    }

    void edit(DestinationForm d) {
        editing = d;
        name.setValue(nullToEmpty(d.name()));
        kind.setValue(d.kind());
        url.setValue(nullToEmpty(d.url()));
        auth.setValue(d.auth());
        username.setValue(nullToEmpty(d.username()));
        secret.clear();
        secret.setPlaceholder(d.hasSecret() ? "stored" : "");
        trustStore.setValue(nullToEmpty(d.trustStore()));
        trustStorePassword.clear();
        host.setValue(nullToEmpty(d.host()));
        port.setValue(d.port());
        calledAe.setValue(nullToEmpty(d.calledAe()));
        callingAe.setValue(d.callingAe() == null ? "RELAYPACS" : d.callingAe());
        defaultRole.setValue(Optional.ofNullable(d.defaultRole()));
        enabled.setValue(d.enabled());
        decompress.setValue(d.decompressWhenRefused());
        check.setEnabled(d.id() != null);
        webhookUrl.setValue(d.id() == null ? "" : webhooks.urlOf(d.id()).orElse(""));
        webhookSecret.clear();
        webhookSecret.setPlaceholder(webhookUrl.isEmpty() ? "" : "stored");
        saveWebhook.setEnabled(d.id() != null);
        status.setText("");
    }

    void saveWebhook() {
        if (editing.id() == null) {
            status.setText("Save the destination first.");
            return;
        }
        try {
            webhooks.set(CurrentCaller.get().map(Caller::username).orElse(null), editing.id(), webhookUrl.getValue(),
                    webhookSecret.getValue());
            webhookSecret.clear();
            webhookSecret.setPlaceholder(webhookUrl.isEmpty() ? "" : "stored");
            status.setText(webhookUrl.isEmpty() ? "No webhook for " + editing.name() + "."
                    : "The reading side will hear of each study delivered to " + editing.name() + ".");
        } catch (IllegalArgumentException e) {
            status.setText("Not saved: " + e.getMessage());
        }
    }

    private void showFieldsFor(DestinationKind k) {
        boolean dimse = k == DestinationKind.DIMSE;
        for (Component c : List.<Component>of(url, auth, username, secret, trustStore, trustStorePassword)) {
            c.setVisible(!dimse);
        }
        for (Component c : List.<Component>of(host, port, calledAe, callingAe)) {
            c.setVisible(dimse);
        }
        url.setHelperText(k == DestinationKind.ORTHANC ? "The Orthanc root, e.g. https://pacs.example.org:8042"
                : "The DICOMweb root (the part before /studies), e.g. https://pacs.example.org/dicom-web");
    }

    void save() {
        DestinationForm entered = new DestinationForm(editing.id(), editing.version(), name.getValue(), kind.getValue(),
                url.getValue(), auth.getValue(), username.getValue(), editing.hasSecret(), trustStore.getValue(),
                host.getValue(), port.getValue(), calledAe.getValue(), callingAe.getValue(),
                defaultRole.getValue() == null ? null : defaultRole.getValue().orElse(null), enabled.getValue(),
                editing.fromConfiguration(), decompress.getValue());
        try {
            DestinationForm saved = destinations.save(entered,
                    secret.isEmpty() ? (entered.auth() == AuthKind.NONE ? "" : null) : secret.getValue(),
                    trustStorePassword.isEmpty() ? null : trustStorePassword.getValue());
            refresh();
            edit(saved);
            status.setText(saved.name() + " is saved.");
        } catch (IllegalArgumentException | DataAccessException e) {
            status.setText("Not saved: " + (e instanceof IllegalArgumentException ? e.getMessage()
                    : "the destination was changed elsewhere; open it again."));
        }
    }

    void check() {
        if (editing.id() == null) {
            return;
        }
        DestinationService.CheckResult result = destinations.check(editing.id());
        status.setText(result.message());
        status.getElement().setAttribute("data-reachable", String.valueOf(result.reachable()));
    }

    private void showRoute(DestinationService.ClinicRoute route) {
        Map<Long, DestinationForm> byId = destinations.list().stream()
                .collect(Collectors.toMap(DestinationForm::id, Function.identity()));
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
            status.setText(route.clinic() + " now sends to " + primary.getValue().map(DestinationForm::name)
                    .orElse("the default destination") + ".");
            refresh();
        } catch (IllegalArgumentException e) {
            status.setText("Not saved: " + e.getMessage());
        }
    }

    private static Long idOf(Optional<DestinationForm> d) {
        return d == null ? null : d.map(DestinationForm::id).orElse(null);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    Grid<DestinationForm> grid() {
        return grid;
    }

    Paragraph status() {
        return status;
    }
}
