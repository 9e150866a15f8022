package io.relaypacs.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import io.relaypacs.forward.DestinationService;
import io.relaypacs.forward.ForwardService;
import io.relaypacs.forward.StudyWebhooks;
import io.relaypacs.retention.RetentionProperties;
import io.relaypacs.retention.RetentionPurge;
import io.relaypacs.upload.UploadDashboard;
import io.relaypacs.upload.UploadState;
import jakarta.annotation.security.RolesAllowed;
import org.springframework.beans.factory.annotation.Value;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The operator's view of the flow of uploads across clinics, refreshed by server push every few seconds. Made of
 * its panels: the figures, a day of uploads per hour, what needs attention, the destinations and the uploads.
 */
@Route("admin")
@RolesAllowed("ADMIN")
public class DashboardView extends VerticalLayout implements HasDynamicTitle {
    private static final ScheduledExecutorService PUSH = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-push");
        t.setDaemon(true);
        return t;
    });

    private final UploadDashboard dashboard;
    private final RetentionPurge purge;
    private final Paragraph actionStatus = new Paragraph();
    private final DashboardFigures figures = new DashboardFigures();
    private final HourlyChart chart = new HourlyChart();
    private final NeedsAttention attention;
    private final DestinationStates destinationStates;
    private final UploadBrowser uploads;
    final Select<Optional<UploadState>> stateFilter;
    final TextField userFilter;
    private ScheduledFuture<?> refresher;

    public DashboardView(UploadDashboard dashboard, DestinationService destinations, ForwardService forward,
                         StudyWebhooks webhooks, RetentionPurge purge, RetentionProperties retention,
                         @Value("${relaypacs.dashboard.stuck-after:2h}") Duration stuckAfter) {
        this.dashboard = dashboard;
        this.purge = purge;
        addClassName("admin-view");
        actionStatus.getElement().setAttribute("role", "status");
        attention = new NeedsAttention(dashboard, destinations, forward, webhooks, stuckAfter, retention.maxAge(),
                actionStatus::setText, this::refresh);
        destinationStates = new DestinationStates(destinations, forward, actionStatus::setText);
        uploads = new UploadBrowser(dashboard, actionStatus::setText, this::refresh);
        stateFilter = uploads.stateFilter;
        userFilter = uploads.userFilter;

        add(new H2(getTranslation("dashboard.title")), figures.counters(), figures.flow(),
                new H3(getTranslation("dashboard.perHour")), chart,
                new H3(getTranslation("dashboard.attention")), attention.stuck(), attention.failures(), actionStatus,
                new H3(getTranslation("nav.destinations")), destinationStates, new H3(getTranslation("dashboard.uploads")), uploads);
        refresh();
    }

    @Override
    public String getPageTitle() {
        return getTranslation("nav.dashboard") + " · RelayPACS";
    }

    @Override
    protected void onAttach(AttachEvent event) {
        UI ui = event.getUI();
        refresher = PUSH.scheduleWithFixedDelay(() -> ui.access(this::refresh), 5, 5, TimeUnit.SECONDS);
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (refresher != null) {
            refresher.cancel(false);
        }
    }

    void refresh() {
        UploadDashboard.Summary s = dashboard.summary();
        figures.show(s, purge.nextRun());
        chart.show(s.uploadsPerHour());
        attention.refresh();
        destinationStates.refresh();
        uploads.refresh();
    }

    FlexLayout counters() {
        return figures.counters();
    }

    FlexLayout flow() {
        return figures.flow();
    }

    UnorderedList stuck() {
        return attention.stuck();
    }

    UnorderedList failures() {
        return attention.failures();
    }

    Paragraph actionStatus() {
        return actionStatus;
    }

    UploadGrid grid() {
        return uploads.grid();
    }
}
