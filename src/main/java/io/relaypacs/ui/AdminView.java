package io.relaypacs.ui;

import io.relaypacs.base.Sizes;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.relaypacs.forward.DestinationService;
import io.relaypacs.forward.ForwardService;
import io.relaypacs.forward.DestinationForm;
import io.relaypacs.retention.RetentionProperties;
import io.relaypacs.retention.RetentionPurge;
import io.relaypacs.upload.UploadDashboard;
import io.relaypacs.upload.UploadState;
import jakarta.annotation.security.RolesAllowed;
import org.springframework.beans.factory.annotation.Value;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The operator's view of the flow of uploads across clinics, refreshed by server push every few seconds: counts,
 * bytes in flight, the last hour, a day of uploads per hour, what needs attention (stuck uploads before the purge
 * deletes them, failures with their reasons and a way to send them again, here or elsewhere), destinations and the
 * uploads themselves with filters.
 */
@Route("admin")
@PageTitle("Dashboard · RelayPACS")
@RolesAllowed("ADMIN")
public class AdminView extends VerticalLayout {
    private static final ScheduledExecutorService PUSH = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-push");
        t.setDaemon(true);
        return t;
    });
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final UploadDashboard dashboard;
    private final DestinationService destinations;
    private final ForwardService forward;
    private final RetentionPurge purge;
    private final Duration maxAge;
    private final Duration stuckAfter;

    private final FlexLayout counters = new FlexLayout();
    private final FlexLayout flow = new FlexLayout();
    private final Div chart = new Div();
    private final UnorderedList stuck = new UnorderedList();
    private final UnorderedList failures = new UnorderedList();
    private final UnorderedList destinationList = new UnorderedList();
    private final Paragraph actionStatus = new Paragraph();
    private final UploadGrid grid = new UploadGrid();
    final Select<Optional<Map.Entry<Long, String>>> clinicFilter = new Select<>();
    final Select<Optional<UploadState>> stateFilter = new Select<>();
    final DatePicker fromFilter = new DatePicker("Begun from");
    final com.vaadin.flow.component.textfield.TextField userFilter = new com.vaadin.flow.component.textfield.TextField("User");
    private ScheduledFuture<?> refresher;

    public AdminView(UploadDashboard dashboard, DestinationService destinations, ForwardService forward,
                     RetentionPurge purge, RetentionProperties retention,
                     @Value("${relaypacs.dashboard.stuck-after:2h}") Duration stuckAfter) {
        this.dashboard = dashboard;
        this.destinations = destinations;
        this.forward = forward;
        this.purge = purge;
        this.maxAge = retention.maxAge();
        this.stuckAfter = stuckAfter;
        addClassName("admin-view");
        counters.addClassName("counters");
        counters.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        flow.addClassName("counters");
        flow.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        chart.addClassName("hour-chart");
        chart.getElement().setAttribute("role", "img");
        stuck.addClassName("alerts");
        failures.addClassName("alerts");
        actionStatus.getElement().setAttribute("role", "status");

        List<Optional<Map.Entry<Long, String>>> clinics = new ArrayList<>();
        clinics.add(Optional.empty());
        dashboard.clinicNames().entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> clinics.add(Optional.of(e)));
        clinicFilter.setLabel("Clinic");
        clinicFilter.setItems(clinics);
        clinicFilter.setItemLabelGenerator(c -> c.map(Map.Entry::getValue).orElse("All clinics"));
        clinicFilter.setValue(Optional.empty());
        List<Optional<UploadState>> states = new ArrayList<>();
        states.add(Optional.empty());
        for (UploadState s : UploadState.values()) {
            states.add(Optional.of(s));
        }
        stateFilter.setLabel("State");
        stateFilter.setItems(states);
        stateFilter.setItemLabelGenerator(s -> s.map(x -> x.name().toLowerCase()).orElse("Any state"));
        stateFilter.setValue(Optional.empty());
        clinicFilter.addValueChangeListener(e -> refreshGrid());
        stateFilter.addValueChangeListener(e -> refreshGrid());
        fromFilter.addValueChangeListener(e -> refreshGrid());
        userFilter.setValueChangeMode(com.vaadin.flow.data.value.ValueChangeMode.LAZY);
        userFilter.addValueChangeListener(e -> refreshGrid());
        grid.addComponentColumn(u -> {
            if (u.state() == UploadState.DONE || u.state() == UploadState.FAILED || u.state() == UploadState.EXPIRED) {
                return new Span();
            }
            Button cancel = new Button("Cancel", e -> {
                boolean done = dashboard.cancel(io.relaypacs.security.CurrentCaller.get()
                        .map(io.relaypacs.security.Caller::username).orElse(null), u.uploadId());
                actionStatus.setText(done ? "The upload was cancelled; its images stay until the retention limit, so it "
                        + "can still be sent again." : "That upload had already finished.");
                refresh();
            });
            cancel.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
            return cancel;
        }).setHeader("Action").setAutoWidth(true);
        HorizontalLayout filters = new HorizontalLayout(clinicFilter, userFilter, stateFilter, fromFilter);
        filters.setWrap(true);

        add(new H2("Uploads across clinics"), counters, flow, new H3("Uploads begun per hour, last 24 hours"), chart,
                new H3("Needs attention"), stuck, failures, actionStatus, new H3("Destinations"), destinationList,
                new H3("Uploads"), filters, grid);
        refresh();
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
        UploadDashboard.Summary s = dashboard.summary(maxAge);
        counters.removeAll();
        for (UploadState state : UploadState.values()) {
            counters.add(tile(String.valueOf(s.counts().getOrDefault(state, 0L)), label(state), state.name()));
        }
        flow.removeAll();
        flow.add(tile(Sizes.readable(s.bytesInFlight()), "in flight", "in-flight"),
                tile(s.deliveredLastHour() + " · " + Sizes.readable(s.deliveredBytesLastHour()), "delivered in the last hour", "last-hour"),
                tile(s.oldestWaiting() == null ? "none" : UploadGridFormat.age(Duration.between(s.oldestWaiting(), Instant.now())),
                        "oldest waiting", "oldest"),
                tile(String.valueOf(s.pendingInstances()), "images waiting for the PACS", "pending"),
                tile(s.storageBytes() < 0 ? "?" : Sizes.readable(s.storageBytes()), "transit storage used", "storage"),
                tile(TIME.format(purge.nextRun()), "next purge", "purge"));
        drawChart(s.uploadsPerHour());
        drawAlerts();
        drawDestinations();
        refreshGrid();
    }

    private void drawChart(long[] perHour) {
        chart.removeAll();
        long max = 1;
        for (long n : perHour) {
            max = Math.max(max, n);
        }
        long total = 0;
        for (int i = 0; i < perHour.length; i++) {
            Div bar = new Div();
            bar.addClassName("bar");
            bar.getStyle().set("height", Math.max(2, perHour[i] * 100 / max) + "%");
            bar.getElement().setAttribute("title", perHour[i] + " upload(s), " + (23 - i) + " h ago");
            chart.add(bar);
            total += perHour[i];
        }
        chart.getElement().setAttribute("aria-label", total + " uploads begun in the last 24 hours, at most " + max + " in one hour");
    }

    private void drawAlerts() {
        stuck.removeAll();
        for (UploadDashboard.Stuck u : dashboard.stuck(stuckAfter, maxAge)) {
            ListItem item = new ListItem(new Span("Not finished after " + UploadGridFormat.age(Duration.between(u.startedAt(), Instant.now()))
                    + ": " + u.clinic() + ", " + u.state().name().toLowerCase() + ". Deleted at " + TIME.format(u.deletedAt())
                    + " unless it finishes."));
            item.getElement().setAttribute("data-upload", u.uploadId().toString());
            stuck.add(item);
        }
        failures.removeAll();
        Map<Long, String> clinics = dashboard.clinicNames();
        List<DestinationForm> targets = destinations.list();
        for (ForwardService.Failure f : forward.recentFailures()) {
            ListItem item = new ListItem(new Span((f.clinicId() == null ? "" : clinics.getOrDefault(f.clinicId(), "?") + ": ")
                    + f.reason()));
            item.getElement().setAttribute("data-upload", f.uploadId().toString());
            if (f.canSendAgain()) {
                Select<Optional<DestinationForm>> to = new Select<>();
                List<Optional<DestinationForm>> choices = new ArrayList<>();
                choices.add(Optional.empty());
                targets.stream().filter(DestinationForm::enabled).forEach(d -> choices.add(Optional.of(d)));
                to.setItems(choices);
                to.setItemLabelGenerator(d -> d.map(DestinationForm::name).orElse("its clinic's destination"));
                to.setValue(Optional.empty());
                to.setAriaLabel("Send to");
                Button again = new Button("Send again", e -> sendAgain(f, to.getValue()));
                again.addThemeVariants(ButtonVariant.LUMO_SMALL);
                item.add(to, again);
            }
            failures.add(item);
        }
        if (stuck.getChildren().findAny().isEmpty() && failures.getChildren().findAny().isEmpty()) {
            stuck.add(new ListItem("Nothing: every upload is moving or delivered."));
        }
    }

    void sendAgain(ForwardService.Failure failure, Optional<DestinationForm> to) {
        int queued = dashboard.sendAgain(failure.uploadId(), to == null ? null : to.map(DestinationForm::id).orElse(null));
        actionStatus.setText(queued == 0 ? "Nothing to send again: the images of that upload are no longer held."
                : queued + " image(s) queued again" + to.map(d -> " for " + d.name()).orElse("") + ".");
        refresh();
    }

    private void drawDestinations() {
        destinationList.removeAll();
        for (DestinationForm d : destinations.list()) {
            Instant resting = d.enabled() ? forward.restingUntil(d.id()) : null;
            String state = !d.enabled() ? "not in use" : resting != null ? "not answering, next try " + TIME.format(resting) : "in use";
            Span text = new Span(d.name() + " (" + d.kind().label() + "): " + state);
            Button check = new Button("Check", e -> {
                DestinationService.CheckResult r = destinations.check(d.id());
                actionStatus.setText(r.message());
            });
            check.addThemeVariants(ButtonVariant.LUMO_SMALL);
            destinationList.add(new ListItem(text, check));
        }
        if (destinationList.getChildren().findAny().isEmpty()) {
            destinationList.add(new ListItem("No destination yet: add one under Destinations."));
        }
    }

    private void refreshGrid() {
        Long clinic = clinicFilter.getValue() == null ? null : clinicFilter.getValue().map(Map.Entry::getKey).orElse(null);
        UploadState state = stateFilter.getValue() == null ? null : stateFilter.getValue().orElse(null);
        Instant from = fromFilter.getValue() == null ? null : fromFilter.getValue().atStartOfDay(ZoneOffset.UTC).toInstant();
        grid.show(dashboard.uploads(clinic, userFilter.getValue(), state, from, 200));
    }

    private static Div tile(String value, String caption, String key) {
        Div tile = new Div(new Span(value), new Span(caption));
        tile.addClassName("counter");
        tile.getElement().setAttribute("data-state", key);
        return tile;
    }

    private static String label(UploadState state) {
        return switch (state) {
            case RECEIVING -> "sending";
            case RECEIVED -> "received";
            case PROCESSING -> "checking";
            case FORWARDING -> "delivering";
            case DONE -> "delivered";
            case FAILED -> "failed";
            case EXPIRED -> "expired";
        };
    }

    FlexLayout counters() {
        return counters;
    }

    FlexLayout flow() {
        return flow;
    }

    UnorderedList stuck() {
        return stuck;
    }

    UnorderedList failures() {
        return failures;
    }

    Paragraph actionStatus() {
        return actionStatus;
    }

    UploadGrid grid() {
        return grid;
    }
}
