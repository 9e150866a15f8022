package io.relaypacs.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.relaypacs.security.CurrentCaller;
import io.relaypacs.upload.UploadService;
import io.relaypacs.upload.UploadState;
import jakarta.annotation.security.RolesAllowed;

import java.util.Map;

/** The operator's view of the flow of uploads across clinics. */
@Route("admin")
@PageTitle("Dashboard · RelayPACS")
@RolesAllowed("ADMIN")
public class AdminView extends VerticalLayout {
    private final FlexLayout counters = new FlexLayout();
    private final UploadGrid grid = new UploadGrid();

    public AdminView(UploadService uploads) {
        addClassName("admin-view");
        counters.addClassName("counters");
        counters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        Map<UploadState, Long> counts = uploads.countsByState();
        for (UploadState state : UploadState.values()) {
            Div tile = new Div(new Span(String.valueOf(counts.getOrDefault(state, 0L))), new Span(label(state)));
            tile.addClassName("counter");
            tile.getElement().setAttribute("data-state", state.name());
            counters.add(tile);
        }
        grid.show(uploads.recent(CurrentCaller.require(), 200));
        add(new H2("Uploads across clinics"), counters, grid);
    }

    private static String label(UploadState state) {
        return switch (state) {
            case RECEIVING -> "sending";
            case RECEIVED, PROCESSING -> state == UploadState.RECEIVED ? "received" : "checking";
            case FORWARDING -> "delivering";
            case DONE -> "delivered";
            case FAILED -> "failed";
            case EXPIRED -> "expired";
        };
    }

    FlexLayout counters() {
        return counters;
    }
}
