package io.relaypacs.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.relaypacs.audit.AuditEventType;
import io.relaypacs.audit.AuditLog;
import jakarta.annotation.security.RolesAllowed;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The audit trail for administrators: newest first, filtered by kind of event, user and date. */
@Route("admin/audit")
@PageTitle("Audit log · RelayPACS")
@RolesAllowed("ADMIN")
public class AuditView extends VerticalLayout {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private final AuditLog audit;
    private final Grid<AuditLog.Recorded> grid = new Grid<>();
    final Select<Optional<AuditEventType>> type = new Select<>();
    final TextField user = new TextField("User");
    final DatePicker from = new DatePicker("From");
    final Button apply = new Button("Show", e -> refresh());

    public AuditView(AuditLog audit) {
        this.audit = audit;
        addClassName("audit-view");
        List<Optional<AuditEventType>> types = new ArrayList<>();
        types.add(Optional.empty());
        for (AuditEventType t : AuditEventType.values()) {
            types.add(Optional.of(t));
        }
        type.setLabel("Event");
        type.setItems(types);
        type.setItemLabelGenerator(t -> t.map(AuditEventType::name).orElse("All events"));
        type.setValue(Optional.empty());
        grid.addColumn(e -> TIME.format(e.at())).setHeader("When").setAutoWidth(true);
        grid.addColumn(e -> e.type().name()).setHeader("Event").setAutoWidth(true);
        grid.addColumn(e -> e.actor() == null ? "RelayPACS" : e.actor()).setHeader("By").setAutoWidth(true);
        grid.addColumn(e -> e.clinicId() == null ? "" : String.valueOf(e.clinicId())).setHeader("Clinic").setAutoWidth(true);
        grid.addColumn(e -> e.uploadId() == null ? "" : e.uploadId().toString()).setHeader("Upload").setAutoWidth(true);
        grid.addColumn(e -> e.detail() == null ? "" : e.detail()).setHeader("Details").setFlexGrow(1);
        grid.setEmptyStateText("No events match.");
        HorizontalLayout filters = new HorizontalLayout(type, user, from, apply);
        filters.setAlignItems(Alignment.BASELINE);
        filters.setWrap(true);
        add(new H2("Audit log"), filters, grid);
        setSizeFull();
        refresh();
    }

    void refresh() {
        grid.setItems(audit.search(type.getValue() == null ? null : type.getValue().orElse(null), user.getValue(),
                from.getValue() == null ? null : from.getValue().atStartOfDay(ZoneOffset.UTC).toInstant(), 500));
    }

    Grid<AuditLog.Recorded> grid() {
        return grid;
    }
}
