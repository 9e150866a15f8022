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
import com.vaadin.flow.router.HasDynamicTitle;
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
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Where images are delivered: destinations (DICOMweb, Orthanc REST, C-STORE), their check, and each clinic's route. */
@Route("admin/destinations")
@RolesAllowed("ADMIN")
public class DestinationsView extends VerticalLayout implements HasDynamicTitle {
    private final DestinationService destinations;
    private final Grid<DestinationForm> grid = new Grid<>();
    private final Paragraph status = new Paragraph();

    final TextField name = new TextField(getTranslation("dest.name"));
    final Select<DestinationKind> kind = new Select<>();
    final TextField url = new TextField(getTranslation("dest.url"));
    final Select<AuthKind> auth = new Select<>();
    final TextField username = new TextField(getTranslation("dest.username"));
    final PasswordField secret = new PasswordField(getTranslation("dest.secret"));
    final TextField trustStore = new TextField(getTranslation("dest.trustStore"));
    final PasswordField trustStorePassword = new PasswordField(getTranslation("dest.trustStorePassword"));
    final TextField host = new TextField(getTranslation("dest.host"));
    final IntegerField port = new IntegerField(getTranslation("dest.port"));
    final TextField calledAe = new TextField(getTranslation("dest.calledAe"));
    final TextField callingAe = new TextField(getTranslation("dest.callingAe"));
    final Select<Optional<DefaultRole>> defaultRole = new Select<>();
    final Checkbox enabled = new Checkbox(getTranslation("dest.enabled"));
    final Button save = new Button(getTranslation("dest.save"), e -> save());
    final Button check = new Button(getTranslation("dest.check"), e -> check());
    final Button add = new Button(getTranslation("dest.add"), e -> edit(DestinationForm.blank()));

    final Select<DestinationService.ClinicRoute> clinic = new Select<>();
    final Select<Optional<DestinationForm>> primary = new Select<>();
    final Select<Optional<DestinationForm>> fallback = new Select<>();
    final Button saveRoute = new Button(getTranslation("dest.saveRoute"), e -> saveRoute());

    final Checkbox decompress = new Checkbox(getTranslation("dest.decompress"));
    final TextField webhookUrl = new TextField(getTranslation("dest.webhookUrl"));
    final PasswordField webhookSecret = new PasswordField(getTranslation("dest.webhookSecret"));
    final Button saveWebhook = new Button(getTranslation("dest.saveWebhook"), e -> saveWebhook());

    private DestinationForm editing = DestinationForm.blank();
    private final StudyWebhooks webhooks;

    public DestinationsView(DestinationService destinations, StudyWebhooks webhooks) {
        this.destinations = destinations;
        this.webhooks = webhooks;
        addClassName("destinations-view");
        grid.addColumn(DestinationForm::name).setHeader(getTranslation("dest.name")).setAutoWidth(true);
        grid.addColumn(d -> getTranslation("destination.kind." + d.kind().name())).setHeader(getTranslation("dest.kind")).setAutoWidth(true);
        grid.addColumn(DestinationForm::address).setHeader(getTranslation("dest.address")).setFlexGrow(1);
        grid.addColumn(d -> d.defaultRole() == null ? "" : getTranslation("dest.default." + d.defaultRole().name()))
                .setHeader(getTranslation("dest.defaultFor")).setAutoWidth(true);
        grid.addColumn(d -> getTranslation(d.enabled() ? "destination.state.on" : "destination.state.off")
                        + (d.fromConfiguration() ? getTranslation("dest.fromConfiguration") : ""))
                .setHeader(getTranslation("browser.state")).setAutoWidth(true);
        grid.asSingleSelect().addValueChangeListener(e -> {
            if (e.getValue() != null) {
                edit(e.getValue());
            }
        });
        grid.setEmptyStateText(getTranslation("dest.none"));
        grid.setAllRowsVisible(true);

        kind.setLabel(getTranslation("dest.kind"));
        kind.setItems(DestinationKind.values());
        kind.setItemLabelGenerator(k -> getTranslation("destination.kind." + k.name()));
        kind.addValueChangeListener(e -> showFieldsFor(e.getValue()));
        auth.setLabel(getTranslation("dest.auth"));
        auth.setItems(AuthKind.values());
        auth.setItemLabelGenerator(a -> getTranslation("dest.auth." + a.name()));
        secret.setHelperText(getTranslation("dest.keepSecret"));
        defaultRole.setLabel(getTranslation("dest.defaultRole"));
        defaultRole.setItems(Optional.empty(), Optional.of(DefaultRole.PRIMARY), Optional.of(DefaultRole.FALLBACK));
        defaultRole.setItemLabelGenerator(r -> r.map(x -> getTranslation("dest.role." + x.name())).orElse(getTranslation("dest.role.none")));
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        status.getElement().setAttribute("role", "status");
        status.addClassName("destination-status");

        FormLayout form = new FormLayout(name, kind, url, auth, username, secret, trustStore, trustStorePassword, host, port,
                calledAe, callingAe, defaultRole, enabled, decompress);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("40em", 2));

        clinic.setLabel(getTranslation("browser.clinic"));
        clinic.setItemLabelGenerator(DestinationService.ClinicRoute::clinic);
        clinic.addValueChangeListener(e -> showRoute(e.getValue()));
        primary.setLabel(getTranslation("dest.role.PRIMARY"));
        fallback.setLabel(getTranslation("dest.role.FALLBACK"));
        HorizontalLayout route = new HorizontalLayout(clinic, primary, fallback, saveRoute);
        route.setAlignItems(Alignment.BASELINE);
        route.setWrap(true);

        webhookUrl.setHelperText(getTranslation("dest.webhookUrl.help"));
        webhookSecret.setHelperText(getTranslation("dest.webhookSecret.help"));
        HorizontalLayout webhook = new HorizontalLayout(webhookUrl, webhookSecret, saveWebhook);
        webhook.setAlignItems(Alignment.BASELINE);
        webhook.setWrap(true);

        add(new H2(getTranslation("dest.title")), grid, add, new H3(getTranslation("dest.destination")), form,
                new HorizontalLayout(save, check), webhook, status, new H3(getTranslation("dest.route")), route);
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
            s.setItemLabelGenerator(o -> o.map(DestinationForm::name).orElse(getTranslation("dest.theDefault")));
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
        secret.setPlaceholder(d.hasSecret() ? getTranslation("dest.stored") : "");
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
        webhookSecret.setPlaceholder(webhookUrl.isEmpty() ? "" : getTranslation("dest.stored"));
        saveWebhook.setEnabled(d.id() != null);
        status.setText("");
    }

    void saveWebhook() {
        if (editing.id() == null) {
            status.setText(getTranslation("dest.saveFirst"));
            return;
        }
        try {
            webhooks.set(CurrentCaller.get().map(Caller::username).orElse(null), editing.id(), webhookUrl.getValue(),
                    webhookSecret.getValue());
            webhookSecret.clear();
            webhookSecret.setPlaceholder(webhookUrl.isEmpty() ? "" : getTranslation("dest.stored"));
            status.setText(webhookUrl.isEmpty() ? getTranslation("dest.noWebhook", editing.name())
                    : getTranslation("dest.webhookSaved", editing.name()));
        } catch (IllegalArgumentException e) {
            status.setText(getTranslation("dest.notSaved", UiTranslations.fromServer(e.getMessage())));
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
        url.setHelperText(getTranslation(k == DestinationKind.ORTHANC ? "dest.url.orthanc" : "dest.url.dicomweb"));
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
            status.setText(getTranslation("dest.saved", saved.name()));
        } catch (IllegalArgumentException | DataAccessException e) {
            status.setText(getTranslation("dest.notSaved", e instanceof IllegalArgumentException ? UiTranslations.fromServer(e.getMessage())
                    : getTranslation("dest.changedElsewhere")));
        }
    }

    void check() {
        if (editing.id() == null) {
            return;
        }
        DestinationService.CheckResult result = destinations.check(editing.id());
        status.setText(UiTranslations.fromServer(result.message()));
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
            status.setText(getTranslation("dest.chooseClinic"));
            return;
        }
        try {
            destinations.setRoute(route.clinicId(), idOf(primary.getValue()), idOf(fallback.getValue()));
            status.setText(getTranslation("dest.routeSaved", route.clinic(), primary.getValue().map(DestinationForm::name)
                    .orElse(getTranslation("dest.defaultDestination"))));
            refresh();
        } catch (IllegalArgumentException e) {
            status.setText(getTranslation("dest.notSaved", UiTranslations.fromServer(e.getMessage())));
        }
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.destinations") + " · RelayPACS";
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
