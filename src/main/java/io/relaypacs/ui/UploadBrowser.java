package io.relaypacs.ui;

import com.vaadin.flow.component.Composite;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import io.relaypacs.security.Caller;
import io.relaypacs.security.CurrentCaller;
import io.relaypacs.upload.UploadDashboard;
import io.relaypacs.upload.UploadState;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import static io.relaypacs.ui.UiTranslations.t;

/** Uploads across clinics, filtered by clinic, user, state and start date, with a way to cancel one still on its way. */
class UploadBrowser extends Composite<Div> {
    private final UploadDashboard dashboard;
    private final Consumer<String> say;
    private final Runnable changed;
    private final UploadGrid grid = new UploadGrid();
    final Select<Optional<Map.Entry<Long, String>>> clinicFilter = new Select<>();
    final Select<Optional<UploadState>> stateFilter = new Select<>();
    final DatePicker fromFilter = new LocalDatePicker(t("browser.from"));
    final TextField userFilter = new TextField(t("browser.user"));

    UploadBrowser(UploadDashboard dashboard, Consumer<String> say, Runnable changed) {
        this.dashboard = dashboard;
        this.say = say;
        this.changed = changed;
        List<Optional<Map.Entry<Long, String>>> clinics = new ArrayList<>();
        clinics.add(Optional.empty());
        dashboard.clinicNames().entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> clinics.add(Optional.of(e)));
        clinicFilter.setLabel(t("browser.clinic"));
        clinicFilter.setItems(clinics);
        clinicFilter.setItemLabelGenerator(c -> c.map(Map.Entry::getValue).orElse(t("browser.allClinics")));
        clinicFilter.setValue(Optional.empty());
        List<Optional<UploadState>> states = new ArrayList<>();
        states.add(Optional.empty());
        for (UploadState s : UploadState.values()) {
            states.add(Optional.of(s));
        }
        stateFilter.setLabel(t("browser.state"));
        stateFilter.setItems(states);
        stateFilter.setItemLabelGenerator(s -> s.map(DashboardFigures::label).orElse(t("browser.anyState")));
        stateFilter.setValue(Optional.empty());
        clinicFilter.addValueChangeListener(e -> refresh());
        stateFilter.addValueChangeListener(e -> refresh());
        fromFilter.addValueChangeListener(e -> refresh());
        userFilter.setValueChangeMode(ValueChangeMode.LAZY);
        userFilter.addValueChangeListener(e -> refresh());
        grid.addComponentColumn(u -> {
            if (u.state() == UploadState.DONE || u.state() == UploadState.FAILED || u.state() == UploadState.EXPIRED) {
                return new Span();
            }
            Button cancel = new Button(t("browser.cancel"), e -> cancel(u.uploadId()));
            cancel.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
            return cancel;
        }).setHeader(t("browser.action")).setAutoWidth(true);
        HorizontalLayout filters = new HorizontalLayout(clinicFilter, userFilter, stateFilter, fromFilter);
        filters.setWrap(true);
        getContent().add(filters, grid);
    }

    private void cancel(UUID uploadId) {
        boolean done = dashboard.cancel(CurrentCaller.get().map(Caller::username).orElse(null), uploadId);
        say.accept(done ? t("browser.cancelled") : t("browser.alreadyFinished"));
        changed.run();
    }

    void refresh() {
        Long clinic = clinicFilter.getValue() == null ? null : clinicFilter.getValue().map(Map.Entry::getKey).orElse(null);
        UploadState state = stateFilter.getValue() == null ? null : stateFilter.getValue().orElse(null);
        Instant from = fromFilter.getValue() == null ? null : fromFilter.getValue().atStartOfDay(ZoneOffset.UTC).toInstant();
        grid.show(dashboard.uploads(clinic, userFilter.getValue(), state, from, 200));
    }

    UploadGrid grid() {
        return grid;
    }
}
