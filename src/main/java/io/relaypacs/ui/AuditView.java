package io.relaypacs.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import jakarta.annotation.security.RolesAllowed;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The audit trail for administrators: newest first, filtered by kind of event, user and date. */
@Route("admin/audit")
@RolesAllowed("ADMIN")
public class AuditView extends VerticalLayout implements HasDynamicTitle {
    private final AuditLog audit;
    private final Grid<AuditLog.Recorded> grid = new Grid<>();
    final Select<Optional<AuditEventType>> type = new Select<>();
    final TextField user = new TextField(getTranslation("audit.user"));
    final DatePicker from = new LocalDatePicker(getTranslation("audit.from"));
    final Button apply = new Button(getTranslation("audit.show"), e -> refresh());

    public AuditView(AuditLog audit) {
        this.audit = audit;
        addClassName("audit-view");
        List<Optional<AuditEventType>> types = new ArrayList<>();
        types.add(Optional.empty());
        for (AuditEventType t : AuditEventType.values()) {
            types.add(Optional.of(t));
        }
        type.setLabel(getTranslation("audit.event"));
        type.setItems(types);
        type.setItemLabelGenerator(t -> t.map(AuditEventType::name).orElse(getTranslation("audit.allEvents")));
        type.setValue(Optional.empty());
        DateTimeFormatter time = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(getLocale()).withZone(ZoneOffset.UTC);
        grid.addColumn(e -> time.format(e.at()) + " UTC").setHeader(getTranslation("audit.when")).setAutoWidth(true);
        grid.addColumn(e -> e.type().name()).setHeader(getTranslation("audit.event")).setAutoWidth(true);
        grid.addColumn(e -> e.actor() == null ? "RelayPACS" : e.actor()).setHeader(getTranslation("audit.by")).setAutoWidth(true);
        grid.addColumn(e -> e.clinicId() == null ? "" : String.valueOf(e.clinicId())).setHeader(getTranslation("browser.clinic")).setAutoWidth(true);
        grid.addColumn(e -> e.uploadId() == null ? "" : e.uploadId().toString()).setHeader(getTranslation("audit.upload")).setAutoWidth(true);
        grid.addColumn(e -> e.detail() == null ? "" : e.detail()).setHeader(getTranslation("audit.details")).setFlexGrow(1);
        grid.setEmptyStateText(getTranslation("audit.none"));
        HorizontalLayout filters = new HorizontalLayout(type, user, from, apply);
        filters.setAlignItems(Alignment.BASELINE);
        filters.setWrap(true);
        add(new H2(getTranslation("nav.audit")), filters, grid);
        setSizeFull();
        refresh();
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.audit") + " · RelayPACS";
    }

    void refresh() {
        grid.setItems(audit.search(type.getValue() == null ? null : type.getValue().orElse(null), user.getValue(),
                from.getValue() == null ? null : from.getValue().atStartOfDay(ZoneOffset.UTC).toInstant(), 500));
    }

    Grid<AuditLog.Recorded> grid() {
        return grid;
    }
}
